public import AutomationsModel

/// The JSON Schema (draft-07, what the YAML language server reads) of an automations file, built from the same key
/// lists, triggers, roles and limits as the loader, so that the two accept the same files. What a schema cannot say
/// (that a dependency names an item of the file, that there is no cycle, that a reference is not both a service and
/// a task) only the loader checks.
public enum AutomationsSchema {
    /// The schema as a JSON document.
    public static var document: JSONValue {
        .object([
            ("$schema", "http://json-schema.org/draft-07/schema#"),
            ("$id", "urn:automations:automations-file"),
            ("title", "Gitpod/Ona automations file (automations.yaml)"),
            (
                "description",
                "Services and tasks as `automations` reads them: keys in lowerCamelCase or snake_case, no unknown keys."
            ),
            ("type", ["object", "null"]),
            ("additionalProperties", false),
            (
                "properties",
                .object([
                    ("services", items(of: "service")),
                    ("tasks", items(of: "task")),
                ])
            ),
            (
                "definitions",
                .object([
                    ("reference", .object([("type", "string"), ("pattern", .string(referencePattern))])),
                    ("text", .object([("type", scalarTypes)])),
                    ("optionalText", .object([("type", .strings(scalarTypeNames + ["null"]))])),
                    ("requiredText", .object([("type", scalarTypes), ("minLength", 1)])),
                    (
                        "duration",
                        .object([
                            ("type", ["string", "null"]),
                            ("pattern", .string(durationPattern)),
                            (
                                "description",
                                "Seconds with up to 9 decimals and an s, at most 86400s: \"30s\", \"1.5s\"."
                            ),
                        ])
                    ),
                    (
                        "triggers",
                        .object([
                            ("type", ["array", "null"]),
                            ("items", .object([("enum", .strings(Trigger.allCases.map(\.rawValue)))])),
                        ])
                    ),
                    (
                        "references",
                        .object([
                            ("type", ["array", "null"]),
                            (
                                "items",
                                .object([
                                    ("type", scalarTypes), ("minLength", 1), ("pattern", .string(referencePattern)),
                                ])
                            ),
                        ])
                    ),
                    ("runsOn", runsOn),
                    ("service", service),
                    ("task", task),
                ])
            ),
        ])
    }

    /// What YAML scalars a text field takes: the loader reads any scalar as its text (`name: 2024`).
    static let scalarTypeNames = ["string", "number", "boolean"]
    static let scalarTypes = JSONValue.strings(scalarTypeNames)

    /// ``ReferenceSyntax``: 1 to 128 ASCII letters, digits, `_` or `-`.
    static let referencePattern = "^[A-Za-z0-9_-]{1,128}$"

    /// A protobuf duration the loader takes for `readinessTimeout` (``DurationText/parseProtoJSON(_:)``, at most
    /// ``FileRules/maximumReadinessTimeout``): 1 to 12 digits, up to 9 decimals, `s`, 0s to 86400s.
    static let durationPattern =
        "^(?=[0-9]{1,12}(?:\\.[0-9]{1,9})?s$)0*"
        + "(?:(?:[0-9]{1,4}|[1-7][0-9]{4}|8[0-5][0-9]{3}|86[0-3][0-9]{2})(?:\\.[0-9]+)?|86400(?:\\.0+)?)s$"

    private static func items(of kind: String) -> JSONValue {
        .object([
            ("type", ["object", "null"]),
            ("propertyNames", .object([("$ref", "#/definitions/reference")])),
            ("additionalProperties", .object([("$ref", .string("#/definitions/\(kind)"))])),
        ])
    }

    private static var service: JSONValue {
        let commands: JSONValue = .object([
            ("type", ["object", "null"]),
            ("additionalProperties", false),
            ("required", ["start"]),
            (
                "properties",
                .object([
                    ("start", ref("requiredText")),
                    ("ready", ref("optionalText")),
                    ("stop", ref("optionalText")),
                ])
            ),
        ])
        let roles = ServiceRole.allCases.map { JSONValue.string($0.rawValue) } + [.null]
        return definition(
            required: ["name"],
            fields: [
                ("name", ref("requiredText")),
                ("description", ref("optionalText")),
                ("triggeredBy", ref("triggers")),
                ("commands", commands),
                ("readinessTimeout", ref("duration")),
                ("role", .object([("enum", .array(roles))])),
                ("runsOn", ref("runsOn")),
            ],
            keys: AutomationsFileDecoder.serviceKeys
        )
    }

    private static var task: JSONValue {
        definition(
            required: ["name", "command"],
            fields: [
                ("name", ref("requiredText")),
                ("description", ref("optionalText")),
                ("command", ref("requiredText")),
                ("dependsOn", ref("references")),
                ("triggeredBy", ref("triggers")),
                ("runsOn", ref("runsOn")),
                ("prebuildRequiresSuccess", .object([("type", ["boolean", "null"])])),
            ],
            keys: AutomationsFileDecoder.taskKeys
        )
    }

    private static var runsOn: JSONValue {
        let docker: JSONValue = .object([
            ("type", "object"),
            ("additionalProperties", false),
            ("required", ["image"]),
            (
                "properties",
                .object([
                    ("image", ref("requiredText")),
                    (
                        "environment",
                        .object([
                            ("type", ["array", "null"]),
                            ("items", .object([("type", scalarTypes), ("minLength", 1)])),
                        ])
                    ),
                ])
            ),
        ])
        let machine: JSONValue = .object([
            ("type", ["object", "null"]), ("additionalProperties", false), ("maxProperties", 0),
        ])
        return .object([
            ("type", ["object", "null"]),
            ("additionalProperties", false),
            ("minProperties", 1),
            ("maxProperties", 1),
            ("properties", .object([("docker", docker), ("machine", machine)])),
        ])
    }

    /// A service or task: each field under both spellings (never both at once), the required ones, nothing else.
    private static func definition(
        required: [String],
        fields: [(String, JSONValue)],
        keys: [String]
    ) -> JSONValue {
        precondition(fields.map(\.0) == keys, "the schema lists the decoder's keys")
        var properties: [(String, JSONValue)] = []
        var notBoth: [JSONValue] = []
        for (name, schema) in fields {
            properties.append((name, schema))
            let snake = NodeReader.snakeCase(name)
            if snake != name {
                properties.append((snake, schema))
                notBoth.append(.object([("not", .object([("required", .strings([name, snake]))]))]))
            }
        }
        var members: [(String, JSONValue)] = [
            ("type", "object"),
            ("additionalProperties", false),
            ("required", .strings(required)),
            ("properties", .object(properties)),
        ]
        if !notBoth.isEmpty { members.append(("allOf", .array(notBoth))) }
        return .object(members)
    }

    private static func ref(_ name: String) -> JSONValue {
        .object([("$ref", .string("#/definitions/\(name)"))])
    }
}
