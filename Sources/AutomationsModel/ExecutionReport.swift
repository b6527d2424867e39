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
    public var failureMessage: String?
    /// Why the step never ran (its phase stays PENDING).
    public var skipReason: String?
    /// True when the step could not run properly (spawn error, killed after the grace period, service not ready),
    /// as opposed to a command that ran and reported failure.
    public var isError: Bool
    /// True for a failure that does not fail the run (a prebuild task without `prebuildRequiresSuccess`).
    public var isWarning: Bool

    public init(step: PlanStep) {
        self.step = step
        self.phase = .pending
        self.isError = false
        self.isWarning = false
    }

    /// How long the step ran, if it ran.
    public var duration: Duration? {
        guard let startedAt, let completedAt else { return nil }
        return .nanoseconds(Int64(completedAt.timeIntervalSince(startedAt) * 1e9))
    }
}

/// What happened to one service the run started.
public struct ServiceReport: Sendable, Hashable {
    public var reference: String
    public var phase: ServicePhase
    public var readyAt: Date?
    public var statusVersion: UInt64
    public var failureMessage: String?

    public init(
        reference: String,
        phase: ServicePhase,
        readyAt: Date?,
        statusVersion: UInt64,
        failureMessage: String?
    ) {
        self.reference = reference
        self.phase = phase
        self.readyAt = readyAt
        self.statusVersion = statusVersion
        self.failureMessage = failureMessage
    }
}

/// Everything a run did: the plan, each step, each service, and the outcome.
public struct ExecutionReport: Sendable, Hashable {
    public var plan: ExecutionPlan
    public var phase: ExecutionPhase
    public var startedAt: Date
    public var completedAt: Date
    public var steps: [StepReport]
    public var services: [ServiceReport]
    /// Set when the run was stopped by a signal or its timeout.
    public var stopReason: StopReason?
    /// With `--trigger prebuild`, only failures of steps that are not warnings (tasks with
    /// `prebuildRequiresSuccess`) fail the run; service failures are warnings too.
    public var isPrebuild: Bool = false

    public init(
        plan: ExecutionPlan,
        phase: ExecutionPhase,
        startedAt: Date,
        completedAt: Date,
        steps: [StepReport],
        services: [ServiceReport],
        stopReason: StopReason?
    ) {
        self.plan = plan
        self.phase = phase
        self.startedAt = startedAt
        self.completedAt = completedAt
        self.steps = steps
        self.services = services
        self.stopReason = stopReason
    }

    /// 0 when everything succeeded (warnings allowed), 1 when a step or service failed or `--timeout` passed,
    /// 128 + N when stopped by signal N.
    public var exitStatus: Int32 {
        switch stopReason {
        case .signal(let signal): return 128 + signal
        case .timeout, .requested: return 1
        case nil:
            let failedStep = steps.contains { ($0.phase == .failed || $0.phase == .stopped) && !$0.isWarning }
            let skippedRequired = steps.contains { $0.phase == .pending && !$0.isWarning }
            let failedService = !isPrebuild && services.contains { $0.phase == .failed }
            return failedStep || skippedRequired || failedService ? 1 : 0
        }
    }
}
