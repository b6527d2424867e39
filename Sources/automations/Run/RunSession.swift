import AutomationsConfig
import AutomationsModel
import AutomationsReports
import AutomationsRuntime
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
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
        let console = ConsoleReporter(
            configuration: .init(
                mode: setup.consoleMode,
                color: color,
                githubActions: environment["GITHUB_ACTIONS"] == "true",
                statusLine: consoleOutput.isTerminal && setup.consoleMode != .quiet
            ),
            plan: setup.plan,
            logs: setup.logs
        )
        let masker = SecretMasker(secrets: setup.secrets, downstream: ObserverFanOut([setup.logs, console]))
        let runID = UUID().uuidString.lowercased()
        let watchdog = RunWatchdog(runID: runID, executable: Self.ownExecutable, arguments: ["__watchdog", runID])
        let containers = await containerPolicy()
        let resolver = CommandResolver(
            workingDirectory: setup.workingDirectory,
            environment: setup.environment.merging([RunWatchdog.variable: runID]) { $1 },
            userEnvironment: setup.userEnvironment,
            containers: containers
        )
        let executor = PlanExecutor(
            file: setup.loaded.file,
            plan: setup.plan,
            options: ExecutionOptions(
                keepGoing: setup.keepGoing,
                isPrebuild: setup.selection.trigger == .prebuild,
                taskStopGracePeriod: setup.taskStopGrace,
                serviceStopGracePeriod: setup.serviceStopGrace,
                resolver: resolver,
                runID: runID
            ),
            observer: masker
        )
        let signalsSeen = Atomic<Int>(0)
        let watcher = SignalWatcher { signal in
            let count = signalsSeen.add(1, ordering: .relaxed).newValue
            Task {
                if count == 1 {
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
                await executor.stop(.timeout(limit))
            }
        }
        if setup.consoleMode != .quiet {
            let count = setup.plan.stepCount
            consoleOutput.write(
                "automations: \(setup.loaded.displayPath): \(count) step\(count == 1 ? "" : "s") in "
                    + "\(setup.plan.groups.count) group\(setup.plan.groups.count == 1 ? "" : "s")\n"
            )
        }
        let report = masker.mask(await ProcessRuntime.onIOThread { await executor.run() })
        masker.flush()
        timeoutTask?.cancel()
        await watchdog?.finish()
        console.finish()
        setup.logs.close()
        let reportProblems = ReportFiles.write(report, setup: setup)
        consoleOutput.write(RunSummary.render(report, logs: setup.logs, color: color))
        let logProblems = setup.logs.writeProblems.map { "log file incomplete: \($0)" }
        for problem in logProblems + reportProblems {
            TerminalOutput.standardError.write("error: \(problem)\n")
        }
        watcher.cancel()
        let lost = !reportProblems.isEmpty || !logProblems.isEmpty
        return lost ? max(report.exitStatus, 1) : report.exitStatus
    }

    /// This executable, for starting the watchdog.
    static var ownExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    private func containerPolicy() async -> ContainerPolicy {
        let needsContainers = setup.plan.steps.contains { step in
            switch step.kind {
            case .task: if case .docker = setup.loaded.file.task(step.reference)?.runsOn { return true }
            case .service: if case .docker = setup.loaded.file.service(step.reference)?.runsOn { return true }
            }
            return false
        }
        guard needsContainers else { return .unavailable("not needed") }
        if setup.docker == .host { return .host }
        return await ContainerEngine.detect(environment: setup.environment)
    }
}
