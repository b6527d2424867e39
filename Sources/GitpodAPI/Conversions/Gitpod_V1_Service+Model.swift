import AutomationsModel

extension Gitpod_V1_Service {
    /// The runner's definition of this service.
    package var definition: ServiceDefinition {
        ServiceDefinition(
            reference: metadata.reference,
            name: metadata.name,
            description: metadata.description_p,
            triggeredBy: metadata.triggeredBy.compactMap(\.model),
            commands: .init(spec.commands),
            readinessTimeout: spec.hasReadinessTimeout ? spec.readinessTimeout.duration : nil,
            runsOn: RunsOn(spec.hasRunsOn ? spec.runsOn : nil)
        )
    }
}

extension Gitpod_V1_Task {
    /// The runner's definition of this task; `referenceOf` maps the ids in `dependsOn` to references.
    package func definition(referenceOf: [String: String]) -> TaskDefinition {
        TaskDefinition(
            reference: metadata.reference,
            name: metadata.name,
            description: metadata.description_p,
            command: spec.command,
            dependsOn: dependsOn.compactMap { referenceOf[$0] },
            triggeredBy: metadata.triggeredBy.compactMap(\.model),
            runsOn: RunsOn(spec.hasRunsOn ? spec.runsOn : nil),
            prebuildRequiresSuccess: spec.prebuildRequiresSuccess
        )
    }
}

extension ServiceDefinition.Commands {
    /// The model's form of a service's commands (an empty `ready` or `stop` is none).
    package init(_ message: Gitpod_V1_ServiceSpec.Commands) {
        self.init(
            start: message.start,
            ready: message.ready.isEmpty ? nil : message.ready,
            stop: message.stop.isEmpty ? nil : message.stop
        )
    }
}

extension Gitpod_V1_RunsOn {
    /// The API's form of a `runsOn`; `nil` for this machine (the field is left out).
    package init?(_ runsOn: RunsOn) {
        guard case .docker(let image, let environment) = runsOn else { return nil }
        self.init()
        docker.image = image
        docker.environment = environment
    }
}

extension RunsOn {
    /// The model's form of an API `runsOn` (absent means this machine).
    package init(_ message: Gitpod_V1_RunsOn?) {
        guard let message, case .docker(let docker)? = message.target else {
            self = .machine
            return
        }
        self = .docker(image: docker.image, environment: docker.environment)
    }
}

extension Array where Element == Gitpod_V1_EnvironmentVariableItem {
    /// The variables set with plain values (secret references are not available locally).
    package var plainValues: [String: String] {
        var environment: [String: String] = [:]
        for item in self {
            if case .value(let value)? = item.source { environment[item.name] = value }
        }
        return environment
    }
}
