/// A long-running process described under `services:`.
public struct ServiceDefinition: Sendable, Hashable {
    /// The commands of a service.
    public struct Commands: Sendable, Hashable {
        /// Starts the service; must keep running while the service is up.
        public var start: String
        /// A readiness probe, run until it exits 0.
        public var ready: String?
        /// A graceful stop, run instead of SIGTERM.
        public var stop: String?

        public init(start: String, ready: String? = nil, stop: String? = nil) {
            self.start = start
            self.ready = ready
            self.stop = stop
        }
    }

    /// The map key in the file; unique among services and tasks.
    public var reference: String
    public var name: String
    public var description: String
    public var triggeredBy: [Trigger]
    /// `nil` when the file has no `commands`: such a service cannot be started.
    public var commands: Commands?
    /// How long the service may stay STARTING; `nil` or zero means no limit.
    public var readinessTimeout: Duration?
    public var role: ServiceRole
    public var runsOn: RunsOn
    /// Where the reference is written in the file, if it came from one.
    public var location: SourceLocation?

    public init(
        reference: String,
        name: String,
        description: String = "",
        triggeredBy: [Trigger] = [],
        commands: Commands?,
        readinessTimeout: Duration? = nil,
        role: ServiceRole = .unspecified,
        runsOn: RunsOn = .machine,
        location: SourceLocation? = nil
    ) {
        self.reference = reference
        self.name = name
        self.description = description
        self.triggeredBy = triggeredBy
        self.commands = commands
        self.readinessTimeout = readinessTimeout
        self.role = role
        self.runsOn = runsOn
        self.location = location
    }
}
