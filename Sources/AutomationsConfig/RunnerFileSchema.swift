public import AutomationsModel

/// The JSON Schema (draft-07) of a runner file (`automations.runner.yaml`), from the decoder's key lists. What a
/// schema cannot say (that a task or service named exists in the automations file) only the loader checks.
public enum RunnerFileSchema {
    public static var document: JSONValue {
        .object([
            ("$schema", "http://json-schema.org/draft-07/schema#"),
            ("$id", "urn:automations:runner-file"),
            ("title", "automations runner file (automations.runner.yaml)"),
            (
                "description",
                "Settings only this runner understands: task inputs and outputs, service sources, quarantine."
            ),
            ("type", ["object", "null"]),
            ("additionalProperties", false),
            (
                "properties",
                .object([
                    ("env", variables("Variables whose values are inputs of every task.")),
                    ("sources", globs("Files every task reads (a lockfile, a tool-version file).")),
                    ("tasks", items(task)),
                    ("services", items(service)),
                    ("quarantine", .object([("type", ["array", "null"]), ("items", quarantineEntry)])),
                    (
                        "skipDuring",
                        .object([
                            ("type", ["array", "null"]),
                            ("description", "A pre-push check runs nothing while one of these is in progress."),
                            ("items", .object([("enum", ["rebase", "merge"])])),
                        ])
                    ),
                ])
            ),
        ])
    }

    private static func items(_ value: JSONValue) -> JSONValue {
        .object([
            ("type", ["object", "null"]),
            ("propertyNames", .object([("pattern", .string(AutomationsSchema.referencePattern))])),
            ("additionalProperties", value),
        ])
    }

    private static var task: JSONValue {
        .object([
            ("type", ["object", "null"]),
            ("additionalProperties", false),
            (
                "properties",
                .object([
                    ("sources", globs("What it reads: its cache key, and what a change selects.")),
                    ("outputs", globs("What it writes that later steps need: stored and restored.")),
                    ("env", variables("Variables whose values are its inputs.")),
                    ("cache", .object([("type", "boolean"), ("description", "false: never served from the cache.")])),
                ])
            ),
        ])
    }

    private static var service: JSONValue {
        .object([
            ("type", ["object", "null"]),
            ("additionalProperties", false),
            ("properties", .object([("sources", globs("A warm service is restarted when these change."))])),
        ])
    }

    private static var quarantineEntry: JSONValue {
        let text = JSONValue.object([("type", "string"), ("minLength", 1)])
        return .object([
            ("type", "object"),
            ("additionalProperties", false),
            ("required", .strings(RunnerFileDecoder.quarantineKeys)),
            (
                "properties",
                .object([
                    ("test", text), ("owner", text),
                    ("until", .object([("type", "string"), ("pattern", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")])),
                    ("reason", text),
                ])
            ),
        ])
    }

    private static func globs(_ description: String) -> JSONValue {
        .object([
            ("type", ["array", "null"]),
            ("description", .string(description)),
            ("items", .object([("type", "string"), ("minLength", 1), ("pattern", "^(?!/)(?!.*(^|/)\\.\\.(/|$))")])),
        ])
    }

    private static func variables(_ description: String) -> JSONValue {
        .object([
            ("type", ["array", "null"]),
            ("description", .string(description)),
            ("items", .object([("type", "string"), ("pattern", "^[A-Za-z_][A-Za-z0-9_]*$")])),
        ])
    }
}
