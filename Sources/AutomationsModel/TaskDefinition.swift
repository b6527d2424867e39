/// A one-off command described under `tasks:`.
public struct TaskDefinition: Sendable, Hashable {
    /// The map key in the file; unique among services and tasks.
    public var reference: String
    public var name: String
    public var description: String
    public var command: String
    /// References of tasks or services that must succeed (or be running) first.
    public var dependsOn: [String]
    public var triggeredBy: [Trigger]
    public var runsOn: RunsOn
    /// With `--trigger prebuild`, a failure of this task fails the run.
    public var prebuildRequiresSuccess: Bool
    /// Where the reference is written in the file, if it came from one.
    public var location: SourceLocation?

    public init(
        reference: String,
        name: String,
        description: String = "",
        command: String,
        dependsOn: [String] = [],
        triggeredBy: [Trigger] = [],
        runsOn: RunsOn = .machine,
        prebuildRequiresSuccess: Bool = false,
        location: SourceLocation? = nil
    ) {
        self.reference = reference
        self.name = name
        self.description = description
        self.command = command
        self.dependsOn = dependsOn
        self.triggeredBy = triggeredBy
        self.runsOn = runsOn
        self.prebuildRequiresSuccess = prebuildRequiresSuccess
        self.location = location
    }
}
