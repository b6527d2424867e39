/// Why a step of a plan did not succeed: the failure as a value, from which its message, its JUnit element and
/// type, its JSON entry and its console line are derived.
public enum StepFailure: Sendable, Hashable, CustomStringConvertible {
    /// The task's command ran and ended with a failure (a non-zero status, or a signal it did not get from us).
    case commandEnded(Termination)
    /// The command could not be started (spawn error, no container engine for `runsOn.docker`).
    case couldNotStart(reason: String)
    /// The task was still running when the grace period after SIGTERM ended, and was killed.
    case killedAfterGracePeriod(Duration)
    /// The run was interrupted a second time, which kills everything at once.
    case killedOnSecondInterrupt
    /// The step was stopped because the run was stopped (its phase is STOPPED).
    case stopped(StopReason?)
    /// The service of a service step did not get ready: its own failure, or the phase it reached instead.
    case serviceNotReady(ServiceFailure?, phase: ServicePhase)

    /// True when the step could not run properly (a JUnit `error`), false when it ran and reported failure (a JUnit
    /// `failure`).
    public var isError: Bool {
        if case .commandEnded = self { return false }
        return true
    }

    /// `command exited with status 1`, `killed: still running 10s after SIGTERM`, `stopped: run timed out after 5s`.
    public var description: String {
        switch self {
        case .commandEnded(let termination): "command \(termination)"
        case .couldNotStart(let reason): reason
        case .killedAfterGracePeriod(let grace): "killed: still running \(DurationText.human(grace)) after SIGTERM"
        case .killedOnSecondInterrupt: "killed: the run was interrupted twice"
        case .stopped(let reason): "stopped: \(reason?.description ?? "run stopped")"
        case .serviceNotReady(let failure, let phase):
            failure?.description ?? "service \(phase.shortName) before it was ready"
        }
    }

    /// The same failure with `transform` applied to every text it carries (to mask secrets).
    public func mapText(_ transform: (String) -> String) -> StepFailure {
        switch self {
        case .couldNotStart(let reason): .couldNotStart(reason: transform(reason))
        case .serviceNotReady(let failure, let phase): .serviceNotReady(failure?.mapText(transform), phase: phase)
        default: self
        }
    }
}
