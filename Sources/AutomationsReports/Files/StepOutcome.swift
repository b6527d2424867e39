package import AutomationsModel

/// How a step counts in test reports: passed, a failure (it ran and reported failure), an error (it could not run
/// properly, or was interrupted), or skipped (not run).
package enum StepOutcome: Sendable, Hashable {
    case passed
    case failure(type: String, message: String)
    case error(type: String, message: String)
    case skipped(message: String)

    /// The outcome of `step`; for a service step, `service` is the service's final state (a service that became
    /// ready can still fail later: it crashed, or its stop failed).
    package init(_ step: StepReport, service: ServiceReport?) {
        switch step.phase {
        case .pending:
            self = .skipped(message: step.skipReason?.description ?? "not run")
        case .stopped:
            self = .error(type: "interrupted", message: step.failureMessage ?? "stopped: run interrupted")
        case .failed where step.quarantine != nil:
            // Reported, but not as a failure: a quarantined failure does not fail the run, nor a CI's test gate.
            self = .skipped(message: "\(step.quarantine!): \(step.failureMessage ?? "failed")")
        case .failed:
            let failure = step.failure ?? .stopped(nil)
            self =
                failure.isError
                ? .error(type: "could-not-run", message: failure.description)
                : .failure(type: "exit-status", message: failure.description)
        case .succeeded, .running:
            if let service, service.phase == .failed {
                let message = service.failureMessage ?? "service failed"
                self =
                    service.failure?.isStopFailure == true
                    ? .failure(type: "stop-failed", message: message) : .error(type: "service-failed", message: message)
            } else {
                self = .passed
            }
        }
    }

    /// `passed`, `failure`, `error` or `skipped`: the JUnit element (none for passed).
    package var name: String {
        switch self {
        case .passed: "passed"
        case .failure: "failure"
        case .error: "error"
        case .skipped: "skipped"
        }
    }

    /// The kind of failure, error or skip (`exit-status`, `could-not-run`, `interrupted`, `service-failed`,
    /// `stop-failed`, `not-run`); `nil` when passed.
    package var type: String? {
        switch self {
        case .passed: nil
        case .failure(let type, _), .error(let type, _): type
        case .skipped: "not-run"
        }
    }

    /// What the JUnit element says; `nil` when passed.
    package var message: String? {
        switch self {
        case .passed: nil
        case .failure(_, let message), .error(_, let message), .skipped(let message): message
        }
    }

    /// The outcome as a JSON report wrote it (`outcome`, `outcomeType`, `outcomeMessage`); `nil` for other names.
    package init?(name: String, type: String?, message: String?) {
        switch name {
        case "passed": self = .passed
        case "failure": self = .failure(type: type ?? "exit-status", message: message ?? "failed")
        case "error": self = .error(type: type ?? "could-not-run", message: message ?? "error")
        case "skipped": self = .skipped(message: message ?? "not run")
        default: return nil
        }
    }

    /// The outcome of every step of a report, in plan order.
    package static func all(_ report: ExecutionReport) -> [StepOutcome] {
        let services = Dictionary(report.services.map { ($0.reference, $0) }, uniquingKeysWith: { $1 })
        return report.steps.map { StepOutcome($0, service: services[$0.step.reference]) }
    }
}
