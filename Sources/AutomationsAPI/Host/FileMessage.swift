public import AutomationsModel
public import GitpodAPI
import SwiftProtobuf

extension Gitpod_V1_AutomationsFile {
    /// The API's form of a checked automations file, as `UpsertAutomationsFile` takes it.
    public init(_ file: AutomationsFile) {
        self.init()
        for service in file.services {
            var entry = Gitpod_V1_AutomationsFile.Service()
            entry.name = service.name
            entry.description_p = service.description
            if let commands = service.commands {
                entry.commands.start = commands.start
                entry.commands.ready = commands.ready ?? ""
                entry.commands.stop = commands.stop ?? ""
            }
            entry.triggeredBy = service.triggeredBy.map(\.rawValue)
            entry.role = service.role.rawValue
            if let timeout = service.readinessTimeout {
                let (seconds, attoseconds) = timeout.components
                entry.readinessTimeout = Google_Protobuf_Duration(
                    seconds: seconds,
                    nanos: Int32(attoseconds / 1_000_000_000)
                )
            }
            if let runsOn = Self.runsOn(service.runsOn) { entry.runsOn = runsOn }
            services[service.reference] = entry
        }
        for task in file.tasks {
            var entry = Gitpod_V1_AutomationsFile.Task()
            entry.name = task.name
            entry.description_p = task.description
            entry.command = task.command
            entry.dependsOn = task.dependsOn
            entry.triggeredBy = task.triggeredBy.map(\.rawValue)
            entry.prebuildRequiresSuccess = task.prebuildRequiresSuccess
            if let runsOn = Self.runsOn(task.runsOn) { entry.runsOn = runsOn }
            tasks[task.reference] = entry
        }
    }

    private static func runsOn(_ runsOn: RunsOn) -> Gitpod_V1_RunsOn? {
        guard case .docker(let image, let environment) = runsOn else { return nil }
        var message = Gitpod_V1_RunsOn()
        message.docker.image = image
        message.docker.environment = environment
        return message
    }
}
