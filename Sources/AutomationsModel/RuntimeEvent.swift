public import Foundation

/// Which command of which item produced output or an event.
public struct OutputSource: Sendable, Hashable, CustomStringConvertible {
    /// The part of an item a command belongs to.
    public enum Part: String, Sendable, Hashable {
        /// A task's `command` or a service's `start`.
        case main
        /// A service's `ready` probe.
        case ready
        /// A service's `stop` command.
        case stop
        /// A cached task's log, restored from the result cache (it goes to the log, not to the live console).
        case restored
    }

    public var kind: StepKind
    public var reference: String
    public var part: Part

    public init(kind: StepKind, reference: String, part: Part = .main) {
        self.kind = kind
        self.reference = reference
        self.part = part
    }

    /// `service db (ready)`.
    public var description: String {
        "\(kind.rawValue) \(reference)" + (part == .main ? "" : " (\(part.rawValue))")
    }
}

/// Something that happened during a run, in the order it happened.
public enum RuntimeEvent: Sendable, Hashable {
    /// A service changed phase; `statusVersion` grows with every change of that service.
    case servicePhaseChanged(
        reference: String,
        phase: ServicePhase,
        statusVersion: UInt64,
        at: Date,
        failure: ServiceFailure?
    )
    /// A ready probe of a service starts (attempts count from 1).
    case serviceProbeStarted(reference: String, attempt: Int, at: Date)
    /// A ready probe of a service ended.
    case serviceProbeFinished(reference: String, attempt: Int, termination: Termination, at: Date)
    /// A step of the plan started.
    case stepStarted(PlanStep, at: Date)
    /// A step ended (or was decided not to run: phase PENDING with a skip reason).
    case stepFinished(StepReport)
    /// The run is being stopped before its end.
    case stopping(StopReason, at: Date)
}
