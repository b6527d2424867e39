/// The checked content of an automations file: services and tasks in the order the file lists them.
public struct AutomationsFile: Sendable, Hashable {
    public var services: [ServiceDefinition]
    public var tasks: [TaskDefinition]

    public init(services: [ServiceDefinition] = [], tasks: [TaskDefinition] = []) {
        self.services = services
        self.tasks = tasks
    }

    /// The service with this reference, if any.
    public func service(_ reference: String) -> ServiceDefinition? {
        services.first { $0.reference == reference }
    }

    /// The task with this reference, if any.
    public func task(_ reference: String) -> TaskDefinition? {
        tasks.first { $0.reference == reference }
    }

    /// Every reference of the file, services first, each in file order.
    public var allReferences: [String] { services.map(\.reference) + tasks.map(\.reference) }
}
