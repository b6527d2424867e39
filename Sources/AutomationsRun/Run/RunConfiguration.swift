package import AutomationsClient
package import AutomationsConfig
package import AutomationsModel
package import AutomationsReports
import Foundation

/// What a run is asked to do, as the command line says it: every value typed, nothing read or checked against the
/// file yet (``RunSetup`` does that). Paths are as given, relative to ``invocationDirectory``.
package struct RunConfiguration: Sendable {
    /// The automations file, loaded and checked.
    package var loaded: LoadedAutomationsFile
    package var selection: TargetSelection
    /// `--rerun-failed PATH`: the targets are the tasks that failed or did not run in this report.
    package var rerunFailed: String?
    /// `--shard`: the part of the split plan this run runs.
    package var shard: ShardSpec?
    /// `--timings`: earlier reports that balance the shards.
    package var timingsFiles: [String] = []
    /// Without `--timings`: the durations the history knows (``HistoryTimings``).
    package var historyDurations: [String: Duration] = [:]
    /// `--workdir`; `nil`: the repository root of the file.
    package var workdir: String?
    /// Where the command was started (paths given on the command line are relative to it).
    package var invocationDirectory: String
    /// This process's environment: the commands inherit it, and CI is recognised from it.
    package var processEnvironment: [String: String]
    /// `--env-file`, in order (a later file wins).
    package var environmentFiles: [String] = []
    /// `--env KEY=VALUE`, in order (these win over the files).
    package var environmentAssignments: [(key: String, value: String)] = []
    /// `--secret-env NAME`.
    package var secretNames: [String] = []
    package var timeout: Duration?
    package var serviceStopGrace: Duration = .seconds(120)
    package var taskStopGrace: Duration = .seconds(10)
    /// `--logs`; `nil`: `.automations/logs` in the working directory.
    package var logsFolder: String?
    package var junitPath: String?
    package var jsonPath: String?
    package var htmlPath: String?
    /// `--collect-junit REF=GLOB`.
    package var collectJUnit: [(reference: String, glob: String)] = []
    package var docker: DockerMode = .auto
    /// `--output`; `nil`: grouped under a CI that folds groups, else prefixed.
    package var consoleMode: ConsoleMode?
    package var colorMode: ColorChoice = .auto
    package var keepGoing = false
    /// `--jobs N`.
    package var jobs: Int?
    package var retries = 0
    package var retryDelay: Duration = .zero
    package var schedule: PlanSchedule = .groups
    /// Put the `gitpod`/`ona`/`gp` stand-ins first on the commands' PATH.
    package var cliShim = true
    /// `automations task start`: the running `serve` whose services the plan uses (warm between runs).
    package var warmServer: APIClient?
    /// The result cache.
    package var cache = CacheSettings()
    /// Select the tasks by these changes (change-aware selection); `nil`: every target runs.
    package var changes: ChangeSource?
    /// Run nothing while one of these is in progress in the repository (`rebase`, `merge`).
    package var skipDuring: Set<String> = []
    /// Where the run is recorded.
    package var history = HistorySettings()
    /// `--fail-on-flaky`: a step that passed only after a retry fails the run (release gates).
    package var failOnFlaky = false

    package init(
        loaded: LoadedAutomationsFile,
        selection: TargetSelection,
        invocationDirectory: String,
        processEnvironment: [String: String]
    ) {
        self.loaded = loaded
        self.selection = selection
        self.invocationDirectory = invocationDirectory
        self.processEnvironment = processEnvironment
    }
}

/// `--docker auto|host`.
package enum DockerMode: String, CaseIterable, Sendable {
    case auto
    case host
}
