import ArgumentParser
import AutomationsClient
import AutomationsConfig
import AutomationsModel
import AutomationsReports
import AutomationsRun
import Foundation

/// `run`'s options made into a ``RunConfiguration`` (a mistyped value exits 2 before the file is read), checked into
/// a ``RunSetup``; and the end of a run printed.
enum RunCommandLine {
    static func setup(of command: Run, warmServer: APIClient? = nil) async throws -> RunSetup {
        let options = command.options
        // The arguments first: a mistyped option is reported before anything about the file.
        let apply = try values(of: command)
        var configuration = try RunConfiguration(
            loaded: options.load(warnings: command.warnings),
            selection: TargetSelection.parse(
                references: command.references,
                trigger: command.trigger,
                options: options
            ),
            invocationDirectory: FileManager.default.currentDirectoryPath,
            processEnvironment: ProcessInfo.processInfo.environment
        )
        apply(&configuration)
        configuration.warmServer = warmServer
        if configuration.shard != nil, configuration.timingsFiles.isEmpty,
            let found = await HistoryTimings.load(
                settings: configuration.history,
                workingDirectory: configuration.workdir.map {
                    RunSetup.absolute($0, from: configuration.invocationDirectory)
                } ?? configuration.loaded.rootDirectory
            )
        {
            configuration.historyDurations = found.durations
            TerminalOutput.standardError.write("automations: \(found.notice)\n")
        }
        var setup: RunSetup
        do {
            setup = try RunSetup(configuration)
        } catch {
            throw options.fail(error.description)
        }
        for notice in setup.notices { TerminalOutput.standardError.write("automations: \(notice)\n") }
        do {
            try await setup.selectByChanges()
        } catch {
            throw options.fail(error.description)
        }
        return setup
    }

    /// Prints what the run left to print and exits with its status.
    static func finish(_ outcome: RunOutcome) -> Never {
        TerminalOutput.standardOutput.write(outcome.output)
        for message in outcome.messages { TerminalOutput.standardError.write(message + "\n") }
        Foundation.exit(outcome.exitStatus)
    }

    /// The checked values of the options, to put into a configuration once the file is loaded.
    private static func values(of command: Run) throws -> (inout RunConfiguration) -> Void {
        let options = command.options
        if let jobs = command.jobs, jobs < 1 {
            throw options.fail("--jobs \(jobs): at least 1 task step must be able to run")
        }
        guard command.retries >= 0 else { throw options.fail("--retries \(command.retries): 0 or more") }
        let retryDelay = try command.retryDelay.map { try duration($0, "--retry-delay", options) } ?? .zero
        let timeout = try command.timeout.map { try duration($0, "--timeout", options) }
        if timeout == .zero { throw options.fail("--timeout must be longer than 0") }
        let serviceStopGrace = try duration(command.stopTimeout, "--stop-timeout", options)
        let taskStopGrace = try duration(command.taskStopTimeout, "--task-stop-timeout", options)
        let shard = try command.sharding.resolve(options: options)
        let assignments = try command.environment.map { entry in
            guard let assignment = EnvironmentFile.assignment(entry[...]) else {
                throw options.fail(
                    "--env '\(entry)' is not KEY=VALUE (KEY: letters, digits and _, not starting with a digit)"
                )
            }
            return assignment
        }
        let cache = try cacheSettings(of: command)
        let changes = try changeSource(of: command)
        let skipDuring = try skipDuring(of: command)
        let environment = ProcessInfo.processInfo.environment
        let history = HistorySettings(
            enabled: !command.noHistory,
            location: command.history ?? environment["AUTOMATIONS_HISTORY"].flatMap { $0.isEmpty ? nil : $0 }
        )
        let collect = try command.collectJunit.map { entry in
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex,
                entry.index(after: equals) != entry.endIndex
            else {
                throw options.fail("--collect-junit '\(entry)' is not REF=GLOB (for example test=reports/junit-*.xml)")
            }
            return (reference: String(entry[..<equals]), glob: String(entry[entry.index(after: equals)...]))
        }
        return { configuration in
            configuration.jobs = command.jobs
            configuration.retries = command.retries
            configuration.retryDelay = retryDelay
            configuration.schedule = command.schedule
            configuration.timeout = timeout
            configuration.serviceStopGrace = serviceStopGrace
            configuration.taskStopGrace = taskStopGrace
            configuration.shard = shard
            configuration.timingsFiles = command.sharding.timings
            configuration.rerunFailed = command.rerunFailed
            configuration.workdir = command.workdir
            configuration.environmentFiles = command.envFile
            configuration.environmentAssignments = assignments
            configuration.secretNames = command.secretEnv
            configuration.collectJUnit = collect
            configuration.logsFolder = command.logs
            configuration.junitPath = command.junit
            configuration.jsonPath = command.reportJson
            configuration.htmlPath = command.html
            configuration.docker = command.docker
            configuration.consoleMode = command.output
            configuration.colorMode = options.color
            configuration.keepGoing = command.keepGoing
            configuration.cliShim = !command.noCLIShim
            configuration.cache = cache
            configuration.changes = changes
            configuration.skipDuring = skipDuring
            configuration.history = history
            configuration.failOnFlaky = command.failOnFlaky
        }
    }

    private static func changeSource(of command: Run) throws -> ChangeSource? {
        let given = [
            command.changedSince.map(ChangeSource.since), command.changedFiles.map(ChangeSource.files),
            command.changedByPush.map { ChangeSource.push(remote: $0) },
        ].compactMap(\.self)
        if given.count > 1 {
            throw command.options.fail("--changed-since, --changed-files and --changed-by-push exclude each other")
        }
        return given.first
    }

    private static func skipDuring(of command: Run) throws -> Set<String> {
        guard let text = command.skipDuring else { return [] }
        let operations = Set(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        for operation in operations where operation != "rebase" && operation != "merge" {
            throw command.options.fail("--skip-during '\(operation)': rebase or merge")
        }
        return operations
    }

    private static func cacheSettings(of command: Run) throws -> CacheSettings {
        let environment = ProcessInfo.processInfo.environment
        var settings = CacheSettings()
        settings.enabled = !command.noCache
        settings.readOnly = command.cacheReadOnly
        settings.folder = command.cacheDir.map {
            RunSetup.absolute($0, from: FileManager.default.currentDirectoryPath)
        }
        if let text = command.cacheMaxSize {
            guard let size = CacheSettings.size(text) else {
                throw command.options.fail("--cache-max-size '\(text)' is not a size; write it like 500M or 5G")
            }
            settings.maxSize = size
        }
        settings.remoteURL = command.cacheUrl ?? environment["AUTOMATIONS_CACHE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        settings.remoteToken = environment["AUTOMATIONS_CACHE_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        if command.noCache && command.cacheReadOnly {
            throw command.options.fail("--no-cache and --cache-read-only exclude each other")
        }
        return settings
    }

    private static func duration(_ text: String, _ option: String, _ options: FileOptions) throws -> Duration {
        guard let duration = DurationText.parseWithUnits(text) else {
            throw options.fail("\(option) '\(text)' is not a duration; write it like 250ms, 30s, 2m or 1m30s")
        }
        return duration
    }
}
