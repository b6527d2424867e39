public import AutomationsModel

/// A service a plan's service step brings up and waits for: a ``ServiceSupervisor`` of this process, or a service
/// that a running `automations serve` keeps warm between runs.
public protocol ServiceHandle: Sendable {
    /// Starts the service unless it is starting or running.
    func start() async
    /// Waits until the service is running, or has ended (STOPPED or FAILED); returns that phase.
    func waitUntilSettled() async -> ServicePhase
    /// Stops the service (only a run that owns it does).
    func stop() async
    var phase: ServicePhase { get async }
    var failure: ServiceFailure? { get async }
    func reportSnapshot() async -> ServiceReport
}

extension ServiceSupervisor: ServiceHandle {}
