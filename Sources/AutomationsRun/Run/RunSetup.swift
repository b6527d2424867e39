package import AutomationsCache
package import AutomationsConfig
package import AutomationsModel
package import AutomationsReports
import AutomationsRuntime
import Foundation

/// A run checked against its file and this machine before anything starts: the plan, the commands' environment,
/// the log folder and the report paths. A problem here is a ``RunSetupError`` (exit 2) and nothing runs.
package struct RunSetup: Sendable {
    package var configuration: RunConfiguration
    package var plan: ExecutionPlan
    /// The targets after `--rerun-failed` chose them.
    package var selection: TargetSelection
    package var workingDirectory: String
    /// What every command gets: this process's environment with the user's variables over it.
    package var environment: [String: String]
    /// The variables given with `--env` and `--env-file`.
    package var userEnvironment: [String: String]
    /// Values of the variables named with `--secret-env`.
    package var secrets: [String]
    package var logs: StepLogFiles
    /// Absolute report paths, their folders made.
    package var junitPath: String?
    package var jsonPath: String?
    package var htmlPath: String?
    package var consoleMode: ConsoleMode
    package var ci: CIEnvironment
    /// What the user should read before the run starts (what `--rerun-failed` chose, and what it left out).
    package var notices: [String] = []
    /// `--rerun-failed PATH` found nothing to run again in PATH.
    private var rerunsNothingOf: String?
    /// Why the plan was emptied before the run (a push that adds no commit, a rebase in progress).
    var emptyPlanReason: String?
    /// What the changes selected (`--changed-since`, `--changed-files`, `--changed-by-push`).
    package var changeSelection: ChangeSelection?
    /// How the console names the changes.
    var changesName: String?
    /// `nothing to run: no task is affected by …` when the changes select no step.
    var nothingSelected: String?

    package init(_ configuration: RunConfiguration) throws(RunSetupError) {
        self.configuration = configuration
        ci = CIEnvironment(configuration.processEnvironment)
        consoleMode = configuration.consoleMode ?? (ci.foldsGroups ? .grouped : .prefixed)
        var selection = configuration.selection
        if let rerunPath = configuration.rerunFailed {
            let rerun = try Self.rerunTargets(configuration, from: rerunPath)
            selection = rerun.selection
            notices = rerun.notices
            rerunsNothingOf = rerun.selection.references.isEmpty ? rerunPath : nil
        }
        self.selection = selection
        let plan = try Self.plan(configuration, selection: selection, rerunsNothing: rerunsNothingOf != nil)
        self.plan = plan
        let workingDirectory = try Self.workingDirectory(configuration)
        self.workingDirectory = workingDirectory
        userEnvironment = try Self.userEnvironment(configuration)
        let environment = configuration.processEnvironment.merging(userEnvironment) { $1 }
        self.environment = environment
        secrets = try configuration.secretNames.map { name throws(RunSetupError) in
            guard let value = environment[name] else { throw .secretNotSet(name: name) }
            return value
        }
        logs = try Self.logs(configuration, workingDirectory: workingDirectory, plan: plan)
        junitPath = try configuration.junitPath.map { path throws(RunSetupError) in
            try Self.reportPath(path, option: "--junit", from: configuration.invocationDirectory)
        }
        jsonPath = try configuration.jsonPath.map { path throws(RunSetupError) in
            try Self.reportPath(path, option: "--report-json", from: configuration.invocationDirectory)
        }
        htmlPath = try configuration.htmlPath.map { path throws(RunSetupError) in
            try Self.reportPath(path, option: "--html", from: configuration.invocationDirectory)
        }
        let tasks = configuration.loaded.file.tasks.map(\.reference)
        for (reference, glob) in configuration.collectJUnit where !tasks.contains(reference) {
            throw .collectJUnitUnknownTask(entry: "\(reference)=\(glob)", reference: reference, known: tasks)
        }
    }

    package var loaded: LoadedAutomationsFile { configuration.loaded }

    /// `nothing to run: …` when the plan has no step, saying why (the run still writes its reports and exits 0).
    package var nothingToRun: String? {
        if let nothingSelected { return nothingSelected }
        guard plan.stepCount == 0 else { return nil }
        if let emptyPlanReason { return emptyPlanReason }
        if let rerunsNothingOf { return "nothing to run: no task failed or was left out in \(rerunsNothingOf)" }
        return selection.emptyPlanReason(shard: configuration.shard)
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

    /// The tasks that failed or did not run in an earlier report, still in the file, become the targets.
    private static func rerunTargets(
        _ configuration: RunConfiguration,
        from rerunPath: String
    ) throws(RunSetupError) -> (selection: TargetSelection, notices: [String]) {
        guard configuration.selection.references.isEmpty, configuration.selection.trigger == nil else {
            throw .rerunWithTargets
        }
        let earlier: [String]
        do {
            earlier = try RerunSelection.tasks(
                in: Self.absolute(rerunPath, from: configuration.invocationDirectory)
            )
        } catch {
            throw .unreadableReport(error)
        }
        let known = Set(configuration.loaded.file.tasks.map(\.reference))
        var notices: [String] = []
        for gone in earlier where !known.contains(gone) {
            notices.append("'\(gone)' from \(rerunPath) is not a task of the file now; left out")
        }
        let targets = earlier.filter(known.contains)
        notices.append(
            "rerunning \(targets.count) task\(targets.count == 1 ? "" : "s") that failed or did not run in \(rerunPath)"
        )
        return (TargetSelection(references: targets), notices)
    }

    private static func plan(
        _ configuration: RunConfiguration,
        selection: TargetSelection,
        rerunsNothing: Bool
    ) throws(RunSetupError) -> ExecutionPlan {
        if rerunsNothing { return ExecutionPlan(groups: []) }
        let file = configuration.loaded.file
        guard let shard = configuration.shard else {
            do { return try Planner.plan(file, selecting: selection) } catch { throw .plan(error) }
        }
        var timings: [String: Duration]
        do {
            timings = try TimingsFiles.read(configuration.timingsFiles)
        } catch {
            throw .unreadableReport(error)
        }
        if configuration.timingsFiles.isEmpty { timings = configuration.historyDurations }
        do {
            return try ShardPlanner.plan(file, selecting: selection, shard: shard, timings: timings).plan
        } catch {
            throw .plan(error)
        }
    }

    private static func workingDirectory(_ configuration: RunConfiguration) throws(RunSetupError) -> String {
        guard let workdir = configuration.workdir else { return configuration.loaded.rootDirectory }
        let absolute = absolute(workdir, from: configuration.invocationDirectory)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .workdirNotADirectory(workdir)
        }
        return absolute
    }

    private static func userEnvironment(_ configuration: RunConfiguration) throws(RunSetupError) -> [String: String] {
        var user: [String: String] = [:]
        for path in configuration.environmentFiles {
            do {
                for (key, value) in try EnvironmentFile.parse(absolute(path, from: configuration.invocationDirectory)) {
                    user[key] = value
                }
            } catch {
                throw .environmentFile(error)
            }
        }
        for (key, value) in configuration.environmentAssignments { user[key] = value }
        return user
    }

    private static func logs(
        _ configuration: RunConfiguration,
        workingDirectory: String,
        plan: ExecutionPlan
    ) throws(RunSetupError) -> StepLogFiles {
        let given = configuration.logsFolder
        let directory = absolute(
            given ?? ".automations/logs",
            from: given == nil ? workingDirectory : configuration.invocationDirectory
        )
        do {
            return try StepLogFiles(
                directory: directory,
                displayRelativeTo: configuration.invocationDirectory,
                plan: plan
            )
        } catch {
            throw .logDirectory(error)
        }
    }

    package static func absolute(_ path: String, from directory: String) -> String {
        URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: directory, isDirectory: true)).standardizedFileURL
            .path
    }

    /// A report path whose folder exists (it is created, with the folders above it), so that the report can be
    /// written when the run ends.
    private static func reportPath(
        _ path: String,
        option: String,
        from directory: String
    ) throws(RunSetupError)
        -> String
    {
        let absolute = absolute(path, from: directory)
        do {
            try AtomicFile.createFolder(containing: absolute)
        } catch {
            let folder = (absolute as NSString).deletingLastPathComponent
            throw .reportFolder(option: option, path: path, folder: folder, error: error)
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory), isDirectory.boolValue {
            throw .reportIsADirectory(option: option, path: path)
        }
        return absolute
    }
}
