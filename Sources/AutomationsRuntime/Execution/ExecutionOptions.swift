public import AutomationsModel

/// How a plan is executed.
public struct ExecutionOptions: Sendable {
    /// Run every step whose own dependencies succeeded, even after a failure.
    public var keepGoing: Bool
    /// `--retries N`: a task whose command fails runs again, up to N more times (services are not restarted).
    public var retries = 0
    /// `--retry-delay DUR`: the wait before each attempt after the first (a connection reset needs a moment).
    public var retryDelay: Duration = .zero
    /// `--schedule`: groups in order (the plan's meaning, the default), or each step as soon as its own
    /// dependencies have succeeded.
    public var schedule: PlanSchedule = .groups
    /// `--jobs N`: at most this many task steps run at once (services do not count); `nil`: no limit, as in Gitpod.
    public var maxConcurrentTasks: Int?
    /// `--trigger prebuild`: failures of tasks without `prebuildRequiresSuccess` are warnings.
    public var isPrebuild: Bool
    /// How long a task may take to end after SIGTERM before it is killed. Gitpod: 10 seconds.
    public var taskStopGracePeriod: Duration
    /// How long a service may take to stop before it is killed. Gitpod: 2 minutes.
    public var serviceStopGracePeriod: Duration
    public var probeSchedule: ProbeSchedule
    public var resolver: CommandResolver
    /// The value of `AUTOMATIONS_RUN_ID` in the commands' environment: at the end, any process that still carries
    /// it is killed, wherever it was re-parented.
    public var runID: String?
    /// Services owned by someone else (the API server): a service step uses the one this returns, and the run
    /// leaves it running at its end. `nil` (the default): the run starts its own services and stops them.
    public var sharedService: (@Sendable (String) async -> (any ServiceHandle)?)?
    /// The services `sharedService` gives are this run's all the same (when they are supervisors of this process):
    /// it stops them at its end and reports them as its own (a run whose services are also reachable through its
    /// API).
    public var ownsSharedServices = false
    /// Kill processes that escaped their commands at the end of the run (the command line does; a server that keeps
    /// services running between runs does not).
    public var sweepsAtEnd: Bool = true
    /// Runs after the plan's services and what its tasks left running have stopped, before the final sweep kills
    /// what escaped: a run stops what was started through its API here.
    public var beforeFinalSweep: (@Sendable () async -> Void)?
    /// When nothing but its log file needs a task's output (no live console, no secret to mask, no retry), this
    /// returns the log file opened for appending, and the task's standard output and error are that file: no pipe,
    /// no copy, nothing read by the runner. The runtime closes the descriptor once the command has started; it does
    /// not ask for commands that start no process (`true`).
    /// `nil`, or `nil` returned: the output is read and goes to the observer.
    public var taskLogFile: (@Sendable (String) -> Int32?)?
    /// The result cache: for a task whose inputs passed before, restores its outputs and returns the hit and the
    /// log to restore; the task is then not run. `nil` (or a `nil` answer): the task runs.
    public var cachedTask: (@Sendable (String) async -> (hit: CacheHit, log: [UInt8])?)?
    /// Steps not to run, with why (the changes did not select them): reported as not run, never started.
    public var preSkipped: [String: SkipReason] = [:]
    /// Steps whose failure does not fail the run (the runner file's quarantine): it is a warning, as what is skipped
    /// because of it.
    public var quarantine = Quarantine()

    public init(
        keepGoing: Bool = false,
        isPrebuild: Bool = false,
        taskStopGracePeriod: Duration = .seconds(10),
        serviceStopGracePeriod: Duration = .seconds(120),
        probeSchedule: ProbeSchedule = .standard,
        resolver: CommandResolver,
        runID: String? = nil
    ) {
        self.keepGoing = keepGoing
        self.isPrebuild = isPrebuild
        self.taskStopGracePeriod = taskStopGracePeriod
        self.serviceStopGracePeriod = serviceStopGracePeriod
        self.probeSchedule = probeSchedule
        self.resolver = resolver
        self.runID = runID
    }
}
