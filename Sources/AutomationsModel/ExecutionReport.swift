public import Foundation

/// The phase of a task execution or of one of its steps, named as the public API names them.
public enum ExecutionPhase: String, Sendable, Hashable {
    case pending = "TASK_EXECUTION_PHASE_PENDING"
    case running = "TASK_EXECUTION_PHASE_RUNNING"
    case succeeded = "TASK_EXECUTION_PHASE_SUCCEEDED"
    case failed = "TASK_EXECUTION_PHASE_FAILED"
    case stopped = "TASK_EXECUTION_PHASE_STOPPED"

    /// The phase in lower case without the prefix, for people: `succeeded`.
    public var shortName: String {
        String(rawValue.dropFirst("TASK_EXECUTION_PHASE_".count)).lowercased()
    }
}

/// Why a run was stopped before its end.
public enum StopReason: Sendable, Hashable, CustomStringConvertible {
    /// The runner received this signal (SIGINT, SIGTERM, SIGHUP).
    case signal(Int32)
    /// `--timeout` passed.
    case timeout(Duration)
    /// Someone asked for it (the API's StopTaskExecution).
    case requested

    public var description: String {
        switch self {
        case .signal(let signal): "run interrupted by \(Termination.signalName(signal))"
        case .timeout(let limit): "run timed out after \(DurationText.human(limit))"
        case .requested: "stopped on request"
        }
    }
}

/// What happened to one step of a plan.
public struct StepReport: Sendable, Hashable {
    public var step: PlanStep
    public var phase: ExecutionPhase
    public var startedAt: Date?
    public var completedAt: Date?
    /// How the task's command ended (nil for service steps and steps that never ran).
    public var termination: Termination?
    /// Why the step failed or was stopped (nil when it succeeded or never ran).
    public var failure: StepFailure?
    /// Why the step never ran (its phase stays PENDING).
    public var skipReason: SkipReason?
    /// True for a failure that does not fail the run (a prebuild task without `prebuildRequiresSuccess`).
    public var isWarning: Bool
    /// With `--retries`: the attempts that failed before the last one, in order.
    public var failedAttempts: [FailedAttempt] = []
    /// How many processes the task's command left running when it exited (`cmd &`, `nohup`, `setsid`); they ran
    /// until the end of the run and were stopped then.
    public var processesLeftRunning: Int = 0
    /// Served from the result cache instead of run: when and where it passed, and the time saved.
    public var cache: CacheHit?
    /// A failure that did not fail the run: the runner file quarantines this step (it is a warning).
    public var quarantine: QuarantineNote?

    public init(step: PlanStep) {
        self.step = step
        self.phase = .pending
        self.isWarning = false
    }

    /// The failure as people read it.
    public var failureMessage: String? { failure?.description }

    /// Not run because the changes did not select it (change-aware selection).
    public var isUnaffected: Bool {
        if case .unaffected = skipReason { return true }
        return false
    }

    /// It succeeded after failing: the retries hid a failure.
    public var isFlaky: Bool { phase == .succeeded && !failedAttempts.isEmpty }

    /// How many times its command ran (0 when it never ran).
    public var attempts: Int { failedAttempts.count + (termination == nil ? 0 : 1) }

    /// How long the step ran, if it ran.
    public var duration: Duration? {
        guard let startedAt, let completedAt else { return nil }
        return .nanoseconds(Int64(completedAt.timeIntervalSince(startedAt) * 1e9))
    }
}

/// One failed attempt of a task run with `--retries`.
public struct FailedAttempt: Sendable, Hashable {
    public var failure: StepFailure
    public var startedAt: Date
    public var duration: Duration
    /// The end of what this attempt printed (both streams, at most 16 KiB).
    public var output: String

    public init(failure: StepFailure, startedAt: Date, duration: Duration, output: String) {
        self.failure = failure
        self.startedAt = startedAt
        self.duration = duration
        self.output = output
    }
}

/// What happened to one service the run started.
public struct ServiceReport: Sendable, Hashable {
    public var reference: String
    public var phase: ServicePhase
    public var readyAt: Date?
    /// When it began to stop (its stop command or SIGTERM), and when it ended (STOPPED or FAILED).
    public var stoppingAt: Date?
    public var endedAt: Date?
    public var statusVersion: UInt64
    public var failure: ServiceFailure?
    /// When it was last started.
    public var startedAt: Date?

    public init(
        reference: String,
        phase: ServicePhase,
        readyAt: Date?,
        statusVersion: UInt64,
        failure: ServiceFailure?,
        stoppingAt: Date? = nil,
        endedAt: Date? = nil,
        startedAt: Date? = nil
    ) {
        self.startedAt = startedAt
        self.reference = reference
        self.phase = phase
        self.readyAt = readyAt
        self.statusVersion = statusVersion
        self.failure = failure
        self.stoppingAt = stoppingAt
        self.endedAt = endedAt
    }

    /// The failure as people read it.
    public var failureMessage: String? { failure?.description }
}

/// Everything a run did: the plan, each step, each service, and the outcome.
public struct ExecutionReport: Sendable, Hashable {
    public var plan: ExecutionPlan
    public var startedAt: Date
    public var completedAt: Date
    public var steps: [StepReport]
    public var services: [ServiceReport]
    /// Set when the run was stopped by a signal, its timeout or a request.
    public var stopReason: StopReason?
    /// With `--trigger prebuild`, only failures of steps that are not warnings (tasks with
    /// `prebuildRequiresSuccess`) fail the run; service failures are warnings too.
    public var isPrebuild: Bool
    /// The ports opened through the CLI stand-in (`gitpod environment port open`), in the order they were opened.
    public var ports: [OpenedPort] = []

    public init(
        plan: ExecutionPlan,
        startedAt: Date,
        completedAt: Date,
        steps: [StepReport],
        services: [ServiceReport],
        stopReason: StopReason?,
        isPrebuild: Bool
    ) {
        self.plan = plan
        self.startedAt = startedAt
        self.completedAt = completedAt
        self.steps = steps
        self.services = services
        self.stopReason = stopReason
        self.isPrebuild = isPrebuild
    }

    /// The run's phase and exit status, decided together (``RunVerdict``).
    public var verdict: RunVerdict {
        RunVerdict(steps: steps, services: services, stopReason: stopReason, isPrebuild: isPrebuild)
    }

    /// SUCCEEDED, FAILED or STOPPED, by the rule of ``RunVerdict``.
    public var phase: ExecutionPhase { verdict.phase }

    /// 0 when everything required succeeded, 1 when something required failed or the run was stopped by its
    /// timeout or a request, 128 + N when stopped by signal N (``RunVerdict``).
    public var exitStatus: Int32 { verdict.exitStatus }
}
