extension ExecutionPlan {
    /// `{"groups":[{"steps":[{"reference":…,"kind":…,"dependsOn":[…]}]}]}`: the plan as `plan --format json` and the
    /// JSON report show it.
    public var jsonValue: JSONValue {
        let groups: [JSONValue] = groups.map { group in
            let steps: [JSONValue] = group.map { step in
                .object([
                    ("reference", .string(step.reference)),
                    ("kind", .string(step.kind.rawValue)),
                    ("dependsOn", .strings(step.dependsOn)),
                ])
            }
            return .object([("steps", .array(steps))])
        }
        return .object([("groups", .array(groups))])
    }
}
