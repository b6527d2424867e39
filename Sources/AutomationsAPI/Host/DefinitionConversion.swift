import AutomationsModel
import Foundation
import GitpodAPI
import SwiftProtobuf

/// The runner's definitions of the API's services and tasks.
enum DefinitionConversion {
    static func service(_ service: Gitpod_V1_Service) -> ServiceDefinition {
        let commands = service.spec.commands
        let timeout = service.spec.readinessTimeout
        return ServiceDefinition(
            reference: service.metadata.reference,
            name: service.metadata.name,
            description: service.metadata.description_p,
            triggeredBy: service.metadata.triggeredBy.compactMap(TriggerConversion.model),
            commands: .init(
                start: commands.start,
                ready: commands.ready.isEmpty ? nil : commands.ready,
                stop: commands.stop.isEmpty ? nil : commands.stop
            ),
            readinessTimeout: service.spec.hasReadinessTimeout
                ? .seconds(timeout.seconds) + .nanoseconds(Int64(timeout.nanos)) : nil,
            runsOn: runsOn(service.spec.hasRunsOn ? service.spec.runsOn : nil)
        )
    }

    static func task(_ task: Gitpod_V1_Task, referenceOf: [String: String]) -> TaskDefinition {
        TaskDefinition(
            reference: task.metadata.reference,
            name: task.metadata.name,
            description: task.metadata.description_p,
            command: task.spec.command,
            dependsOn: task.dependsOn.compactMap { referenceOf[$0] },
            triggeredBy: task.metadata.triggeredBy.compactMap(TriggerConversion.model),
            runsOn: runsOn(task.spec.hasRunsOn ? task.spec.runsOn : nil),
            prebuildRequiresSuccess: task.spec.prebuildRequiresSuccess
        )
    }

    static func runsOn(_ runsOn: Gitpod_V1_RunsOn?) -> RunsOn {
        guard let runsOn, case .docker(let docker)? = runsOn.target else { return .machine }
        return .docker(image: docker.image, environment: docker.environment)
    }

    /// Variables a service or task sets with plain values (secret references are not available locally).
    static func environment(_ items: [Gitpod_V1_EnvironmentVariableItem]) -> [String: String] {
        var environment: [String: String] = [:]
        for item in items {
            if case .value(let value)? = item.source { environment[item.name] = value }
        }
        return environment
    }

    static func phase(_ phase: ServicePhase) -> Gitpod_V1_ServicePhase {
        switch phase {
        case .unspecified: .unspecified
        case .starting: .starting
        case .running: .running
        case .stopping: .stopping
        case .stopped: .stopped
        case .failed: .failed
        case .deleted: .deleted
        }
    }

    static func phase(_ phase: ExecutionPhase) -> Gitpod_V1_TaskExecutionPhase {
        switch phase {
        case .pending: .pending
        case .running: .running
        case .succeeded: .succeeded
        case .failed: .failed
        case .stopped: .stopped
        }
    }
}
