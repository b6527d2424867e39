import AutomationsModel

/// The JSON form of a file's services and tasks, as `automations list --format json` prints it.
enum FileJSON {
    static func file(_ file: AutomationsFile) -> JSONValue {
        .object([
            ("services", .array(file.services.map(service))),
            ("tasks", .array(file.tasks.map(task))),
        ])
    }

    static func service(_ service: ServiceDefinition) -> JSONValue {
        let commands: JSONValue =
            service.commands.map { commands in
                .object([
                    ("start", .string(commands.start)),
                    ("ready", .optional(commands.ready)),
                    ("stop", .optional(commands.stop)),
                ])
            } ?? .null
        return .object([
            ("reference", .string(service.reference)),
            ("name", .string(service.name)),
            ("description", .string(service.description)),
            ("triggeredBy", .strings(service.triggeredBy.map(\.rawValue))),
            ("commands", commands),
            ("readinessTimeout", .optional(service.readinessTimeout.map(DurationText.secondsForProtoJSON))),
            ("role", .string(service.role.rawValue)),
            ("runsOn", runsOn(service.runsOn)),
        ])
    }

    static func task(_ task: TaskDefinition) -> JSONValue {
        .object([
            ("reference", .string(task.reference)),
            ("name", .string(task.name)),
            ("description", .string(task.description)),
            ("command", .string(task.command)),
            ("dependsOn", .strings(task.dependsOn)),
            ("triggeredBy", .strings(task.triggeredBy.map(\.rawValue))),
            ("prebuildRequiresSuccess", .bool(task.prebuildRequiresSuccess)),
            ("runsOn", runsOn(task.runsOn)),
        ])
    }

    static func runsOn(_ runsOn: RunsOn) -> JSONValue {
        switch runsOn {
        case .machine:
            return .object([("machine", .object([]))])
        case .docker(let image, let environment):
            return .object([
                ("docker", .object([("image", .string(image)), ("environment", .strings(environment))]))
            ])
        }
    }
}
