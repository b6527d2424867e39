import ArgumentParser
import AutomationsConfig
import AutomationsModel
import AutomationsReports
import AutomationsRun
import Foundation

/// `automations run`: the main job.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run tasks and the services they need, then stop everything and report.",
        discussion: """
            Targets are the given references, the items selected by --trigger, or (with neither) every task. \
            Services the plan needs are started and waited for; groups run in order, the steps of a group \
            concurrently; every service the run started is stopped at the end.

            Exit status: 0 every step succeeded and no service failed; 1 a step or service failed, or --timeout \
            passed; 2 invalid file or arguments; 130, 143, 129 stopped by SIGINT, SIGTERM, SIGHUP. \
            Durations are written 250ms, 30s, 2m, 1m30s.

            Examples:
              automations run
              automations run test --keep-going --junit report.xml
              automations run --trigger prebuild --timeout 20m
            """
    )

    @Argument(help: "References of tasks or services to run.")
    var references: [String] = []

    @Option(help: "Run every service and task whose triggeredBy holds this trigger.")
    var trigger: String?

    @OptionGroup var options: FileOptions

    @OptionGroup var warnings: WarningOptions

    @OptionGroup var sharding: ShardOptions

    @Option(
        help: ArgumentHelp("The directory commands run in. Default: the repository root of the file.", valueName: "dir")
    )
    var workdir: String?

    @Flag(help: "After a failure, still run every step whose own dependencies succeeded.")
    var keepGoing = false

    @Option(
        help: ArgumentHelp("At most N task steps at once (services do not count). Default: no limit.", valueName: "N")
    )
    var jobs: Int?

    @Option(
        help: ArgumentHelp(
            "Run a failed task again, up to N more times (a pass after a failure is flaky).",
            valueName: "N"
        )
    )
    var retries = 0

    @Option(
        help: ArgumentHelp(
            "Wait this long before each attempt after the first (with --retries).",
            valueName: "duration"
        )
    )
    var retryDelay: String?

    @Option(
        help: ArgumentHelp(
            "groups: group after group, as Gitpod's plan (the default); dependencies: each step as soon as its own dependencies have succeeded.",
            valueName: "schedule"
        )
    )
    var schedule: PlanSchedule = .groups

    @Option(
        help: ArgumentHelp(
            "Run only the tasks that failed or did not run in an earlier run's JSON report or JUnit XML.",
            valueName: "path"
        )
    )
    var rerunFailed: String?

    @Flag(
        name: .customLong("no-cli-shim"),
        help: "Do not put the gitpod, ona and gp stand-ins first on the commands' PATH."
    )
    var noCLIShim = false

    @Option(help: ArgumentHelp("Stop the run after this long (exit status 1).", valueName: "duration"))
    var timeout: String?

    @Option(help: ArgumentHelp("Grace period for stopping a service before it is killed.", valueName: "duration"))
    var stopTimeout = "2m"

    @Option(help: ArgumentHelp("Grace period for a task after SIGTERM before it is killed.", valueName: "duration"))
    var taskStopTimeout = "10s"

    @Option(name: .customLong("env"), help: ArgumentHelp("Set a variable for every command.", valueName: "KEY=VALUE"))
    var environment: [String] = []

    @Option(help: ArgumentHelp("Read variables from a file of KEY=VALUE lines.", valueName: "path"))
    var envFile: [String] = []

    @Option(
        help: ArgumentHelp(
            "Mask this variable's value as *** in the console, the logs and the reports (repeatable).",
            valueName: "NAME"
        )
    )
    var secretEnv: [String] = []

    @Option(
        help: ArgumentHelp(
            "Directory for per-step logs. Default: .automations/logs in the working directory.",
            valueName: "dir"
        )
    )
    var logs: String?

    @Option(help: ArgumentHelp("Write a JUnit XML report here.", valueName: "path"))
    var junit: String?

    @Option(help: ArgumentHelp("Write a JSON report here.", valueName: "path"))
    var reportJson: String?

    @Option(
        help: ArgumentHelp("Write a self-contained HTML report (timeline, failures, logs) here.", valueName: "path")
    )
    var html: String?

    @Option(
        help: ArgumentHelp(
            "After task REF, read the JUnit files it wrote matching GLOB (relative to the working directory) into the reports (repeatable).",
            valueName: "REF=GLOB"
        )
    )
    var collectJunit: [String] = []

    @Option(
        help: ArgumentHelp(
            "Run only what the changes since REF affect: the files that differ between the merge base of REF and HEAD, and the working tree.",
            valueName: "REF"
        )
    )
    var changedSince: String?

    @Option(
        help: ArgumentHelp(
            "Run only what these files affect: one path a line; - reads standard input.",
            valueName: "path"
        )
    )
    var changedFiles: String?

    @Option(
        help: ArgumentHelp(
            "Run only what the commits of a push to REMOTE affect, from a pre-push hook's standard input.",
            valueName: "remote"
        )
    )
    var changedByPush: String?

    @Option(
        help: ArgumentHelp(
            "Run nothing (exit 0) while one of these is in progress: rebase, merge (comma-separated).",
            valueName: "operations"
        )
    )
    var skipDuring: String?

    @Option(
        help: ArgumentHelp(
            "Record the run here: a file (SQLite) or postgres://… Default: $AUTOMATIONS_HISTORY, else .automations/history.sqlite.",
            valueName: "location"
        )
    )
    var history: String?

    @Flag(help: "Do not record the run in the history.")
    var noHistory = false

    @Flag(help: "Fail the run when a step passed only after a retry (release gates).")
    var failOnFlaky = false

    @Flag(help: "Run every task and store nothing in the result cache.")
    var noCache = false

    @Flag(help: "Use results from the cache but store none (pull requests from forks).")
    var cacheReadOnly = false

    @Option(
        help: ArgumentHelp(
            "The local result cache. Default: $XDG_CACHE_HOME/automations, else ~/.cache/automations.",
            valueName: "dir"
        )
    )
    var cacheDir: String?

    @Option(
        help: ArgumentHelp(
            "Keep the local cache under this size (500M, 5G); the least recently used results go first. Default: 5G.",
            valueName: "size"
        )
    )
    var cacheMaxSize: String?

    @Option(
        help: ArgumentHelp(
            "A shared Bazel HTTP remote cache (bazel-remote, nginx WebDAV). Default: $AUTOMATIONS_CACHE_URL; the bearer token is read from $AUTOMATIONS_CACHE_TOKEN.",
            valueName: "url"
        )
    )
    var cacheUrl: String?

    @Option(help: "runsOn.docker steps: auto (docker or podman when one works) or host (run them on this machine).")
    var docker: DockerMode = .auto

    @Option(
        help: """
            Console output: prefixed (live lines as REF | line), grouped (one block per step) or quiet. Default: \
            grouped under GitHub Actions and GitLab CI, else prefixed.
            """
    )
    var output: ConsoleMode?

    func run() async throws {
        let setup = try await RunCommandLine.setup(of: self)
        RunCommandLine.finish(await RunSession(setup).execute())
    }
}

extension DockerMode: ExpressibleByArgument {}
