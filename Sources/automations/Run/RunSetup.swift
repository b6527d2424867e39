import ArgumentParser
import AutomationsClient
import AutomationsConfig
import AutomationsModel
import AutomationsReports
import AutomationsRuntime
import Foundation

/// Everything `run` needs, checked before anything starts: a problem here exits 2 and runs nothing.
struct RunSetup {
    var loaded: LoadedAutomationsFile
    var selection: TargetSelection
    var plan: ExecutionPlan
    var workingDirectory: String
    var environment: [String: String]
    var userEnvironment: [String: String]
    /// Values of the variables named with `--secret-env`.
    var secrets: [String]
    var timeout: Duration?
    var serviceStopGrace: Duration
    var taskStopGrace: Duration
    var logs: StepLogFiles
    var junitPath: String?
    var jsonPath: String?
    var htmlPath: String?
    /// `--collect-junit REF=GLOB`.
    var collectJUnit: [(reference: String, glob: String)] = []
    var docker: DockerMode
    var consoleMode: ConsoleMode
    var keepGoing: Bool
    /// `--jobs N`.
    var jobs: Int?
    /// `--retries N`.
    var retries: Int
    /// `--retry-delay DUR`.
    var retryDelay: Duration
    /// `--schedule`.
    var schedule: PlanSchedule
    /// `--rerun-failed PATH` found nothing to run again in PATH.
    var rerunsNothingOf: String?
    /// `--shard`: the part of the split plan this run runs.
    var shard: ShardSpec?

    /// `nothing to run: …` when the plan has no step, saying why (the run still writes its reports and exits 0).
    var nothingToRun: String? {
        guard plan.stepCount == 0 else { return nil }
        if let rerunsNothingOf { return "nothing to run: no task failed or was left out in \(rerunsNothingOf)" }
        return selection.emptyPlanReason(shard: shard)
    }

    /// Where each step is defined, with the file as shown to the user (for CI annotations).
    var definitionLocations: [String: SourceLocation] {
        var locations: [String: SourceLocation] = [:]
        let file = loaded.file
        for service in file.services { locations[service.reference] = service.location }
        for task in file.tasks { locations[task.reference] = task.location }
        return locations.mapValues { location in
            var location = location
            location.file = loaded.displayPath
            return location
        }
    }
    var colorMode: ColorChoice
    /// Put the `gitpod`/`ona`/`gp` stand-ins first on the commands' PATH.
    var cliShim: Bool
    /// `automations task start`: the running `serve` whose services the plan uses (warm between runs).
    var warmServer: APIClient?

    init(command: Run) throws {
        let options = command.options
        // The arguments first: a mistyped option is reported before anything about the file.
        if let jobs = command.jobs, jobs < 1 {
            throw options.fail("--jobs \(jobs): at least 1 task step must be able to run")
        }
        jobs = command.jobs
        guard command.retries >= 0 else { throw options.fail("--retries \(command.retries): 0 or more") }
        retries = command.retries
        schedule = command.schedule
        retryDelay =
            try command.retryDelay.map { try Self.duration($0, option: "--retry-delay", options: options) }
            ?? .zero
        timeout = try command.timeout.map { try Self.duration($0, option: "--timeout", options: options) }
        if timeout == .zero { throw options.fail("--timeout must be longer than 0") }
        serviceStopGrace = try Self.duration(command.stopTimeout, option: "--stop-timeout", options: options)
        taskStopGrace = try Self.duration(command.taskStopTimeout, option: "--task-stop-timeout", options: options)
        loaded = try options.load(warnings: command.warnings)
        selection = try TargetSelection.parse(
            references: command.references,
            trigger: command.trigger,
            options: options
        )
        if let rerunPath = command.rerunFailed {
            guard command.references.isEmpty, command.trigger == nil else {
                throw options.fail("--rerun-failed chooses the targets: give no references and no --trigger with it")
            }
            let earlier: [String]
            do {
                earlier = try RerunSelection.tasks(
                    in: Self.absolute(rerunPath, from: FileManager.default.currentDirectoryPath)
                )
            } catch {
                throw options.fail(error.description)
            }
            let known = Set(loaded.file.tasks.map(\.reference))
            for gone in earlier where !known.contains(gone) {
                FileHandle.standardError.write(
                    Data("automations: '\(gone)' from \(rerunPath) is not a task of the file now; left out\n".utf8)
                )
            }
            let targets = earlier.filter(known.contains)
            FileHandle.standardError.write(
                Data(
                    "automations: rerunning \(targets.count) task\(targets.count == 1 ? "" : "s") that failed or did not run in \(rerunPath)\n"
                        .utf8
                )
            )
            selection = TargetSelection(references: targets)
            if targets.isEmpty { rerunsNothingOf = rerunPath }
        }
        shard = try command.sharding.resolve(options: options)
        do {
            if rerunsNothingOf != nil {
                plan = ExecutionPlan(groups: [])
            } else if let shard {
                let timings = try command.sharding.durations(options: options)
                plan = try ShardPlanner.plan(loaded.file, selecting: selection, shard: shard, timings: timings).plan
            } else {
                plan = try Planner.plan(loaded.file, selecting: selection)
            }
        } catch let error as PlanError {
            throw options.fail(error.description)
        }
        let invocationDirectory = FileManager.default.currentDirectoryPath
        cliShim = !command.noCLIShim
        if let workdir = command.workdir {
            let absolute = Self.absolute(workdir, from: invocationDirectory)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory), isDirectory.boolValue
            else {
                throw options.fail("--workdir '\(workdir)' is not a directory")
            }
            workingDirectory = absolute
        } else {
            workingDirectory = loaded.rootDirectory
        }
        var user: [String: String] = [:]
        for path in command.envFile {
            do {
                for (key, value) in try EnvironmentOptions.parseFile(Self.absolute(path, from: invocationDirectory)) {
                    user[key] = value
                }
            } catch {
                throw options.fail(error.description)
            }
        }
        for entry in command.environment {
            guard let (key, value) = EnvironmentOptions.assignment(entry[...]) else {
                throw options.fail(
                    "--env '\(entry)' is not KEY=VALUE (KEY: letters, digits and _, not starting with a digit)"
                )
            }
            user[key] = value
        }
        userEnvironment = user
        environment = ProcessInfo.processInfo.environment.merging(user) { $1 }
        secrets = []
        for name in command.secretEnv {
            guard let value = environment[name] else {
                throw options.fail(
                    "--secret-env \(name): no such variable (set it in the environment, --env or --env-file)"
                )
            }
            secrets.append(value)
        }

        let logDirectory = Self.absolute(
            command.logs ?? ".automations/logs",
            from: command.logs == nil ? workingDirectory : invocationDirectory
        )
        do {
            logs = try StepLogFiles(directory: logDirectory, displayRelativeTo: invocationDirectory, plan: plan)
        } catch {
            throw options.fail(error.description)
        }
        junitPath = try command.junit.map {
            try Self.reportPath($0, option: "--junit", from: invocationDirectory, options: options)
        }
        jsonPath = try command.reportJson.map {
            try Self.reportPath($0, option: "--report-json", from: invocationDirectory, options: options)
        }
        var collect: [(reference: String, glob: String)] = []
        let taskReferences = loaded.file.tasks.map(\.reference)
        for entry in command.collectJunit {
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex,
                entry.index(after: equals) != entry.endIndex
            else {
                throw options.fail("--collect-junit '\(entry)' is not REF=GLOB (for example test=reports/junit-*.xml)")
            }
            let reference = String(entry[..<equals])
            guard taskReferences.contains(reference) else {
                throw options.fail(
                    "--collect-junit '\(entry)': no task '\(reference)'\(Suggestion.didYouMean(reference, in: taskReferences))"
                )
            }
            collect.append((reference, String(entry[entry.index(after: equals)...])))
        }
        collectJUnit = collect
        htmlPath = try command.html.map {
            try Self.reportPath($0, option: "--html", from: invocationDirectory, options: options)
        }
        docker = command.docker
        let environment = ProcessInfo.processInfo.environment
        let underCI = environment["GITHUB_ACTIONS"] == "true" || environment["GITLAB_CI"] == "true"
        consoleMode = command.output ?? (underCI ? .grouped : .prefixed)
        keepGoing = command.keepGoing
        colorMode = options.color
    }

    static func absolute(_ path: String, from directory: String) -> String {
        URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: directory, isDirectory: true)).standardizedFileURL
            .path
    }

    private static func duration(_ text: String, option: String, options: FileOptions) throws -> Duration {
        guard let duration = DurationText.parseWithUnits(text) else {
            throw options.fail("\(option) '\(text)' is not a duration; write it like 250ms, 30s, 2m or 1m30s")
        }
        return duration
    }

    /// A report path whose folder exists (it is created, with the folders above it), so that the report can be
    /// written when the run ends.
    private static func reportPath(
        _ path: String,
        option: String,
        from directory: String,
        options: FileOptions
    ) throws -> String {
        let absolute = absolute(path, from: directory)
        let folder = (absolute as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        do {
            try AtomicFile.createFolder(containing: absolute)
        } catch {
            throw options.fail("\(option) '\(path)': cannot create the folder '\(folder)': \(error)")
        }
        if FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory), isDirectory.boolValue {
            throw options.fail("\(option) '\(path)' is a directory")
        }
        return absolute
    }
}
