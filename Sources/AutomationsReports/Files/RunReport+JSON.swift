package import AutomationsModel

/// The report as it is written: every field in a stable order, absent values as `null` (``RunReport/read(_:)``
/// reads this back; a test keeps the round trip exact).
extension RunReport {
    package var jsonValue: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("reportVersion", .int(Int64(reportVersion))),
            ("phase", .string(phase)),
            ("exitStatus", .int(Int64(exitStatus))),
            ("stopReason", .optional(stopReason)),
            ("startedAt", .optional(startedAt)),
            ("completedAt", .optional(completedAt)),
            ("file", .string(file)),
            ("trigger", .optional(trigger)),
            ("targets", .strings(targets)),
            ("shard", .optional(shard)),
        ]
        if let merged { fields.append(("merged", .strings(merged))) }
        if let missingShards { fields.append(("missingShards", .strings(missingShards))) }
        if let shardSpans {
            let spans: [JSONValue] = shardSpans.map { span in
                .object([
                    ("shard", .string(span.shard)), ("startedAt", .optional(span.startedAt)),
                    ("completedAt", .optional(span.completedAt)),
                ])
            }
            fields.append(("shardSpans", .array(spans)))
        }
        fields += [
            ("plan", plan?.jsonValue ?? .null),
            ("counts", counts.jsonValue),
            ("steps", .array(steps.map(\.jsonValue))),
            ("services", .array(services.map(\.jsonValue))),
            ("ports", .array(ports.map(\.jsonValue))),
        ]
        return .object(fields)
    }

    /// The text of the report file: pretty-printed, with a final newline.
    package var fileText: String { jsonValue.serialized(pretty: true) + "\n" }
}

extension RunReport.Plan {
    package init(_ plan: ExecutionPlan) {
        groups = plan.groups.map { group in
            Group(
                steps: group.map {
                    PlannedStep(reference: $0.reference, kind: $0.kind.rawValue, dependsOn: $0.dependsOn)
                }
            )
        }
    }

    package var jsonValue: JSONValue {
        let groups: [JSONValue] = groups.map { group in
            let steps: [JSONValue] = group.steps.map { step in
                .object([
                    ("reference", .string(step.reference)),
                    ("kind", .string(step.kind)),
                    ("dependsOn", .strings(step.dependsOn)),
                ])
            }
            return .object([("steps", .array(steps))])
        }
        return .object([("groups", .array(groups))])
    }
}

extension RunReport.Counts {
    package var jsonValue: JSONValue {
        .object([
            ("tests", .int(Int64(tests))), ("failures", .int(Int64(failures))), ("errors", .int(Int64(errors))),
            ("skipped", .int(Int64(skipped))),
        ])
    }
}

extension RunReport.Step {
    package var jsonValue: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("reference", .string(reference)),
            ("kind", .string(kind)),
            ("group", .int(Int64(group))),
            ("dependsOn", .strings(dependsOn)),
            ("phase", .string(phase)),
            ("startedAt", .optional(startedAt)),
            ("completedAt", .optional(completedAt)),
            ("exitStatus", exitStatus.map { .int(Int64($0)) } ?? .null),
            ("failureMessage", .optional(failureMessage)),
            ("skipReason", .optional(skipReason)),
            ("warning", .bool(warning)),
            ("processesLeftRunning", .int(Int64(processesLeftRunning))),
            ("attempts", .int(Int64(attempts))),
            ("innerTests", innerTests?.jsonValue ?? .null),
            ("flaky", .bool(flaky)),
            ("failedAttempts", .array(failedAttempts.map(\.jsonValue))),
            ("outcome", .string(outcome)),
            ("outcomeType", .optional(outcomeType)),
            ("outcomeMessage", .optional(outcomeMessage)),
            ("logPath", .optional(logPath)),
        ]
        if let shards { fields.append(("shards", .strings(shards))) }
        if let cache { fields.append(("cache", cache.jsonValue)) }
        if let history {
            fields.append(
                (
                    "history",
                    .object([
                        ("runs", .int(Int64(history.runs))), ("medianSeconds", .optional(history.medianSeconds)),
                        ("p95Seconds", .optional(history.p95Seconds)), ("flakyRate", .string(history.flakyRate)),
                    ])
                )
            )
        }
        if let quarantine {
            fields.append(
                (
                    "quarantine",
                    .object([
                        ("owner", .string(quarantine.owner)), ("until", .string(quarantine.until)),
                        ("reason", .string(quarantine.reason)),
                    ])
                )
            )
        }
        return .object(fields)
    }
}

extension RunReport.Cache {
    package var jsonValue: JSONValue {
        .object([
            ("status", .string(status)), ("key", .string(key)), ("storedAt", .optional(storedAt)),
            ("commit", .optional(commit)), ("savedSeconds", .string(savedSeconds)), ("flaky", .bool(flaky)),
            ("source", .string(source)),
        ])
    }
}

extension RunReport.InnerTests {
    package var jsonValue: JSONValue {
        .object([
            ("tests", .int(Int64(tests))), ("failures", .int(Int64(failures))), ("errors", .int(Int64(errors))),
            ("skipped", .int(Int64(skipped))), ("files", .strings(files)), ("warnings", .strings(warnings)),
        ])
    }
}

extension RunReport.FailedAttempt {
    package var jsonValue: JSONValue {
        .object([
            ("failureMessage", .string(failureMessage)), ("startedAt", .optional(startedAt)),
            ("durationSeconds", .string(durationSeconds)),
        ])
    }
}

extension RunReport.Service {
    package var jsonValue: JSONValue {
        .object([
            ("reference", .string(reference)), ("phase", .string(phase)), ("readyAt", .optional(readyAt)),
            ("stoppingAt", .optional(stoppingAt)), ("endedAt", .optional(endedAt)),
            ("statusVersion", .string(statusVersion)), ("failureMessage", .optional(failureMessage)),
            ("logPath", .optional(logPath)),
        ])
    }
}

extension RunReport.Port {
    package var jsonValue: JSONValue {
        .object([
            ("port", .int(Int64(port))), ("name", .optional(name)), ("protocol", .optional(`protocol`)),
            ("url", .string(url)), ("step", .optional(step)),
        ])
    }
}
