/// Why a service ended FAILED: the failure as a value, from which every message and report entry is derived.
public enum ServiceFailure: Sendable, Hashable, CustomStringConvertible {
    /// The last ready probe that finished before readiness gave up: how it ended and the last lines it printed.
    public struct LastProbe: Sendable, Hashable {
        public var termination: Termination
        public var outputTail: String

        public init(termination: Termination, outputTail: String) {
            self.termination = termination
            self.outputTail = outputTail
        }
    }

    /// The service has no `commands.start` (the reference is the service's).
    case noStartCommand(reference: String)
    /// The start command could not be spawned.
    case startCommandNotStarted(reason: String)
    /// The start command ended by itself with a failure.
    case startCommandEnded(Termination)
    /// `readinessTimeout` passed before a ready probe succeeded.
    case notReady(within: Duration, lastProbe: LastProbe?)
    /// The stop command ended with a failure.
    case stopCommandEnded(Termination)
    /// The stop command was still running when the grace period ended, and was killed.
    case stopCommandKilled(after: Duration)
    /// The stop command could not be spawned.
    case stopCommandNotStarted(reason: String)
    /// The service runs in an `automations serve`, which reported this failure.
    case reportedByServer(String)

    /// True when the service ran but could not be stopped cleanly: a failure of its stop command.
    public var isStopFailure: Bool {
        switch self {
        case .stopCommandEnded, .stopCommandKilled, .stopCommandNotStarted: true
        default: false
        }
    }

    /// `start command exited with status 7`, `not ready within 1s; the last ready probe exited with status 1: …`.
    public var description: String {
        switch self {
        case .noStartCommand(let reference): "service '\(reference)' has no start command"
        case .startCommandNotStarted(let reason): "start command could not be started: \(reason)"
        case .startCommandEnded(let termination): "start command \(termination)"
        case .notReady(let timeout, let lastProbe):
            "not ready within \(DurationText.secondsForProtoJSON(timeout))"
                + (lastProbe.map { probe in
                    "; the last ready probe \(probe.termination)"
                        + (probe.outputTail.isEmpty ? "" : ": \(probe.outputTail)")
                } ?? "; no ready probe finished")
        case .stopCommandEnded(let termination): "stop command \(termination)"
        case .stopCommandKilled(let grace): "stop command still running after \(DurationText.human(grace)); killed"
        case .stopCommandNotStarted(let reason): "stop command could not be started: \(reason)"
        case .reportedByServer(let message): "the server reports: \(message)"
        }
    }

    /// The same failure with `transform` applied to every text it carries (to mask secrets).
    public func mapText(_ transform: (String) -> String) -> ServiceFailure {
        switch self {
        case .noStartCommand, .startCommandEnded, .stopCommandEnded, .stopCommandKilled: return self
        case .startCommandNotStarted(let reason): return .startCommandNotStarted(reason: transform(reason))
        case .stopCommandNotStarted(let reason): return .stopCommandNotStarted(reason: transform(reason))
        case .reportedByServer(let message): return .reportedByServer(transform(message))
        case .notReady(let timeout, let lastProbe):
            let masked = lastProbe.map { LastProbe(termination: $0.termination, outputTail: transform($0.outputTail)) }
            return .notReady(within: timeout, lastProbe: masked)
        }
    }
}
