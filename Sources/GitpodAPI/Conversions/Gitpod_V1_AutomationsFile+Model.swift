import AutomationsModel
import SwiftProtobuf

extension Gitpod_V1_AutomationsFile {
    /// The API's form of a checked automations file, as `UpsertAutomationsFile` takes it.
    package init(_ file: AutomationsFile) {
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
            if let timeout = service.readinessTimeout { entry.readinessTimeout = Google_Protobuf_Duration(timeout) }
            if let runsOn = Gitpod_V1_RunsOn(service.runsOn) { entry.runsOn = runsOn }
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
            if let runsOn = Gitpod_V1_RunsOn(task.runsOn) { entry.runsOn = runsOn }
            tasks[task.reference] = entry
        }
    }

    /// The model's form of this file, items ordered by reference, with the names it holds that the format does not
    /// know (triggers, roles) as problems. The model's rules (``FileRules``) are for the caller to check.
    package func model() -> (file: AutomationsFile, unknownNames: [String]) {
        var unknownNames: [String] = []
        func triggers(_ names: [String], of owner: String) -> [Trigger] {
            names.compactMap { name in
                guard let trigger = FileRules.trigger(named: name) else {
                    unknownNames.append(FileRules.unknownTrigger(name, in: "triggeredBy of \(owner)"))
                    return nil
                }
                return trigger
            }
        }
        let services = self.services.keys.sorted().map { reference in
            let entry = self.services[reference]!
            let role = FileRules.role(named: entry.role)
            if role == nil { unknownNames.append(FileRules.unknownRole(entry.role, of: "service '\(reference)'")) }
            return ServiceDefinition(
                reference: reference,
                name: entry.name,
                description: entry.description_p,
                triggeredBy: triggers(entry.triggeredBy, of: "service '\(reference)'"),
                commands: .init(entry.commands),
                readinessTimeout: entry.hasReadinessTimeout ? entry.readinessTimeout.duration : nil,
                role: role ?? .unspecified,
                runsOn: RunsOn(entry.hasRunsOn ? entry.runsOn : nil)
            )
        }
        let tasks = self.tasks.keys.sorted().map { reference in
            let entry = self.tasks[reference]!
            return TaskDefinition(
                reference: reference,
                name: entry.name,
                description: entry.description_p,
                command: entry.command,
                dependsOn: entry.dependsOn,
                triggeredBy: triggers(entry.triggeredBy, of: "task '\(reference)'"),
                runsOn: RunsOn(entry.hasRunsOn ? entry.runsOn : nil),
                prebuildRequiresSuccess: entry.prebuildRequiresSuccess
            )
        }
        return (AutomationsFile(services: services, tasks: tasks), unknownNames)
    }
}

extension Google_Protobuf_Duration {
    /// The protobuf form of a duration (nanosecond precision).
    package init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(seconds: seconds, nanos: Int32(attoseconds / 1_000_000_000))
    }

    /// The duration this message holds.
    package var duration: Duration { .seconds(seconds) + .nanoseconds(Int64(nanos)) }
}
