import AutomationsModel

/// How a service is supervised.
public struct ServiceOptions: Sendable {
    /// How long a stop may take (SIGTERM or the stop command) before everything is killed. Gitpod: 2 minutes.
    public var stopGracePeriod: Duration
    public var probeSchedule: ProbeSchedule
    /// Turns one of the service's command strings into what to run (working directory, environment, container).
    public var commandSpec: @Sendable (String) -> CommandSpec

    public init(
        stopGracePeriod: Duration = .seconds(120),
        probeSchedule: ProbeSchedule = .standard,
        commandSpec: @escaping @Sendable (String) -> CommandSpec
    ) {
        self.stopGracePeriod = stopGracePeriod
        self.probeSchedule = probeSchedule
        self.commandSpec = commandSpec
    }
}
