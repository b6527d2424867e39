import AutomationsAPI
import AutomationsClient
import AutomationsConfig
import AutomationsModel
import AutomationsReports
import AutomationsRuntime
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One run: wires the executor, the console, the logs, signals and the timeout, then writes the reports.
struct RunSession {
    let setup: RunSetup

    /// Runs the plan and returns the exit status.
    func execute() async -> Int32 {
        ProcessRuntime.becomeSubreaper()
        let consoleOutput = TerminalOutput.standardOutput
        let color = consoleOutput.usesColor(setup.colorMode)
        let environment = ProcessInfo.processInfo.environment
        var consoleConfiguration = ConsoleReporter.Configuration(
            mode: setup.consoleMode,
            color: color,
            githubActions: environment["GITHUB_ACTIONS"] == "true",
            statusLine: consoleOutput.isTerminal && setup.consoleMode != .quiet
        )
        consoleConfiguration.gitlabCI = environment["GITLAB_CI"] == "true"
        consoleConfiguration.definitions = setup.definitionLocations
        if let warm = setup.warmServer {
            consoleConfiguration.alreadyRunning = ServerEnvironment.runningServices(of: warm)
        }
        let console = ConsoleReporter(configuration: consoleConfiguration, plan: setup.plan, logs: setup.logs)
        let masker = SecretMasker(secrets: setup.secrets, downstream: ObserverFanOut([setup.logs, console]))
        let runID = UUID().uuidString.lowercased()
        let watchdog = RunWatchdog(runID: runID, executable: Self.ownExecutable, arguments: ["__watchdog", runID])
        let containers = await containerPolicy()
        let setup = self.setup
        let makeOptions: @Sendable ([String: String]) -> ExecutionOptions = { environment in
            var options = ExecutionOptions(
                keepGoing: setup.keepGoing,
                isPrebuild: setup.selection.trigger == .prebuild,
                taskStopGracePeriod: setup.taskStopGrace,
                serviceStopGracePeriod: setup.serviceStopGrace,
                resolver: CommandResolver(
                    workingDirectory: setup.workingDirectory,
                    environment: environment,
                    userEnvironment: setup.userEnvironment,
                    containers: containers
                ),
                runID: runID
            )
            options.maxConcurrentTasks = setup.jobs
            options.retries = setup.retries
            options.retryDelay = setup.retryDelay
            options.schedule = setup.schedule
            return options
        }
        let commandEnvironment = setup.environment.merging([RunWatchdog.variable: runID]) { $1 }
        let api: RunAPI?
        var options: ExecutionOptions
        var privateFolder: String?
        if let warm = setup.warmServer {
            // `task start` against a running serve: its services, and its API for the commands' CLI calls.
            api = nil
            var extra = [APIEndpoint.urlVariable: warm.endpoint.url, ShimContext.insideRunVariable: "1"]
            if let token = warm.endpoint.token { extra[APIEndpoint.tokenVariable] = token }
            if setup.cliShim, let id = ServerEnvironment.id(of: warm) {
                let values = GitpodVariables.values(environmentID: id, repositoryRoot: setup.loaded.rootDirectory)
                for (name, value) in values where setup.userEnvironment[name] == nil { extra[name] = value }
            }
            if setup.cliShim, let folder = try? CLIShimFolder.makePrivateFolder() {
                privateFolder = folder
                extra["PATH"] = try? CLIShimFolder.create(in: folder, path: commandEnvironment["PATH"])
            }
            options = makeOptions(commandEnvironment.merging(extra) { $1 })
            options.sharedService = { reference in RemoteService(client: warm, reference: reference) }
        } else {
            do {
                api = try await RunAPI.start(
                    file: setup.loaded.file,
                    commandEnvironment: commandEnvironment,
                    shim: setup.cliShim,
                    // The real CLI reads GITPOD_ENVIRONMENT_ID too: without the stand-ins, the variables stay unset.
                    gitpodVariables: setup.cliShim
                        ? (setup.loaded.rootDirectory, Set(setup.userEnvironment.keys)) : nil,
                    observer: masker,
                    makeOptions: makeOptions
                )
            } catch {
                TerminalOutput.standardError.write(
                    "warning: the run's API is not available to its commands: \(error)\n"
                )
                api = nil
            }
            options = makeOptions(commandEnvironment.merging(api?.environment ?? [:]) { $1 })
            api?.serve(&options)
        }
        if setup.consoleMode != .prefixed && setup.secrets.isEmpty && setup.retries == 0 {
            // Nothing but the log needs a task's output (grouped blocks are read from the logs): each task writes
            // its log itself, with no pipe and no copy through the runner.
            let logs = setup.logs
            options.taskLogFile = { reference in logs.directFile(forTask: reference) }
        }
        defer { if let privateFolder { try? FileManager.default.removeItem(atPath: privateFolder) } }
        let executor = PlanExecutor(file: setup.loaded.file, plan: setup.plan, options: options, observer: masker)
        let signalsSeen = Atomic<Int>(0)
        let watcher = SignalWatcher { signal in
            let count = signalsSeen.add(1, ordering: .relaxed).newValue
            Task {
                if count == 1 {
                    api?.host.shutdown()
                    await executor.stop(.signal(signal))
                } else {
                    await executor.killEverything()
                }
            }
        }
        let timeoutTask = setup.timeout.map { limit in
            Task {
                try? await Task.sleep(for: limit)
                guard !Task.isCancelled else { return }
                api?.host.shutdown()
                await executor.stop(.timeout(limit))
            }
        }
        if let nothingToRun = setup.nothingToRun {
            consoleOutput.write("automations: \(setup.loaded.displayPath): \(nothingToRun)\n")
        } else if setup.consoleMode != .quiet {
            let count = setup.plan.stepCount
            consoleOutput.write(
                "automations: \(setup.loaded.displayPath): \(count) step\(count == 1 ? "" : "s") in "
                    + "\(setup.plan.groups.count) group\(setup.plan.groups.count == 1 ? "" : "s")\n"
            )
        }
        var report = await ProcessRuntime.onIOThread { await executor.run() }
        if let api {
            let planServices = Set(setup.plan.steps.filter { $0.kind == .service }.map(\.reference))
            let through = await api.finish(planServices: planServices)
            report = report.including(nested: through.nested, services: through.services, ports: through.ports)
        }
        report = masker.mask(report)
        masker.flush()
        timeoutTask?.cancel()
        await watchdog?.finish()
        console.finish()
        setup.logs.close()
        let innerTests = InnerTests.collect(setup.collectJUnit, report: report, directory: setup.workingDirectory)
        for (reference, tests) in innerTests.sorted(by: { $0.key < $1.key }) {
            for warning in tests.warnings {
                TerminalOutput.standardError.write("warning: task '\(reference)': \(warning)\n")
            }
            if !tests.files.isEmpty {
                let failed = tests.count("failure") + tests.count("error")
                consoleOutput.write(
                    "tests in '\(reference)': \(tests.tests) (\(failed) failed, \(tests.count("skipped")) skipped) from "
                        + tests.files.joined(separator: ", ") + "\n"
                )
            }
        }
        let reportProblems = ReportFiles.write(report, setup: setup, innerTests: innerTests)
        if let nothingToRun = setup.nothingToRun, report.steps.isEmpty {
            consoleOutput.write(RunSummary.renderEmpty(report, reason: nothingToRun, color: color))
        } else {
            consoleOutput.write(RunSummary.render(report, logs: setup.logs, color: color))
        }
        if let summaryPath = environment["GITHUB_STEP_SUMMARY"], !summaryPath.isEmpty {
            Self.append(MarkdownSummary.render(report, logs: setup.logs), to: summaryPath)
        }
        let logProblems = setup.logs.writeProblems.map { "log file incomplete: \($0)" }
        for problem in logProblems + reportProblems {
            TerminalOutput.standardError.write("error: \(problem)\n")
        }
        watcher.cancel()
        let lost = !reportProblems.isEmpty || !logProblems.isEmpty
        return lost ? max(report.exitStatus, 1) : report.exitStatus
    }

    /// Appends to GitHub's job summary file (a problem there is only a warning: the run's own reports are written).
    private static func append(_ text: String, to path: String) {
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            TerminalOutput.standardError.write("warning: cannot append the summary to GITHUB_STEP_SUMMARY (\(path))\n")
            return
        }
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        try? handle.close()
    }

    /// This executable, for starting the watchdog.
    static var ownExecutable: String {
        ProcessRuntime.ownExecutable
    }

    private func containerPolicy() async -> ContainerPolicy {
        // One pass over the file (a lookup per plan step would be quadratic in the number of steps).
        let planned = Set(setup.plan.steps.map(\.reference))
        let file = setup.loaded.file
        let needsContainers =
            file.tasks.contains { task in
                guard case .docker = task.runsOn else { return false }
                return planned.contains(task.reference)
            }
            || file.services.contains { service in
                guard case .docker = service.runsOn else { return false }
                return planned.contains(service.reference)
            }
        guard needsContainers else { return .unavailable("not needed") }
        if setup.docker == .host { return .host }
        return await ContainerEngine.detect(environment: setup.environment)
    }
}
