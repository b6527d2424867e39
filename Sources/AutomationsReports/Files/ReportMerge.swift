package import AutomationsModel
import Foundation

/// Why reports cannot be merged.
package struct MergeError: Error, CustomStringConvertible {
    package var description: String
}

/// One JUnit and one JSON report from the JSON reports of a plan's shards, with counts as if one run had run the
/// union. A step that ran in several shards (a shared dependency) appears once: failed if it failed anywhere (the
/// shards named), else passed if it passed anywhere, else not run.
package enum ReportMerge {
    package struct Merged {
        package var json: JSONValue
        package var junit: String
        /// The merged result failed (a required step failed or errored, or a shard was stopped).
        package var failed: Bool
    }

    /// One input: its path (for messages) and its decoded JSON object.
    package typealias Input = (path: String, object: [String: Any])

    package static func merge(_ inputs: [Input]) throws(MergeError) -> Merged {
        guard let first = inputs.first else { throw MergeError(description: "no reports to merge") }
        try checkSamePlan(inputs)
        var order: [String] = []
        var stepsByKey: [String: [(shard: String, step: [String: Any])]] = [:]
        var servicesByReference: [String: [[String: Any]]] = [:]
        var serviceOrder: [String] = []
        var shards: [String] = []
        var phases: [String] = []
        var ports: [JSONValue] = []
        var startedAt = Date.distantFuture
        var completedAt = Date.distantPast
        for (index, input) in inputs.enumerated() {
            let shard = input.object["shard"] as? String ?? "\(index + 1)"
            shards.append(shard)
            phases.append(input.object["phase"] as? String ?? "")
            if let date = (input.object["startedAt"] as? String).flatMap(Timestamp.parse) {
                startedAt = min(startedAt, date)
            }
            if let date = (input.object["completedAt"] as? String).flatMap(Timestamp.parse) {
                completedAt = max(completedAt, date)
            }
            for step in input.object["steps"] as? [[String: Any]] ?? [] {
                let key = "\(step["kind"] as? String ?? ""):\(step["reference"] as? String ?? "")"
                if stepsByKey[key] == nil { order.append(key) }
                stepsByKey[key, default: []].append((shard, step))
            }
            for service in input.object["services"] as? [[String: Any]] ?? [] {
                let reference = service["reference"] as? String ?? ""
                if servicesByReference[reference] == nil { serviceOrder.append(reference) }
                servicesByReference[reference, default: []].append(service)
            }
            for port in input.object["ports"] as? [[String: Any]] ?? [] { ports.append(value(port)) }
        }
        if startedAt > completedAt { (startedAt, completedAt) = (Date(), Date()) }

        var merged: [(step: [String: Any], shards: [String], outcome: StepOutcome)] = []
        for key in order {
            let entries = stepsByKey[key]!
            let outcomes = entries.map { entry in
                StepOutcome(
                    name: entry.step["outcome"] as? String ?? "",
                    type: entry.step["outcomeType"] as? String,
                    message: entry.step["outcomeMessage"] as? String ?? entry.step["failureMessage"] as? String
                ) ?? .skipped(message: "not run")
            }
            let failing = entries.indices.filter { outcomes[$0].name == "failure" || outcomes[$0].name == "error" }
            let passing = entries.indices.filter { outcomes[$0].name == "passed" }
            let chosen = failing.first ?? passing.first ?? 0
            var outcome = outcomes[chosen]
            if !failing.isEmpty {
                let named = failing.map { entries[$0].shard }.joined(separator: ", ")
                let message = "\(outcome.message ?? "failed") (in shard \(named))"
                outcome =
                    outcome.name == "failure"
                    ? .failure(type: outcome.type ?? "exit-status", message: message)
                    : .error(type: outcome.type ?? "could-not-run", message: message)
            }
            merged.append((entries[chosen].step, entries.map(\.shard), outcome))
        }

        let outcomes = merged.map(\.outcome)
        let requiredFailure = merged.contains { entry in
            (entry.outcome.name == "failure" || entry.outcome.name == "error") && entry.step["warning"] as? Bool != true
        }
        let phase: ExecutionPhase =
            requiredFailure || phases.contains(ExecutionPhase.failed.rawValue)
            ? .failed : phases.contains(ExecutionPhase.stopped.rawValue) ? .stopped : .succeeded
        let failed = phase != .succeeded

        let steps: [JSONValue] = merged.map { entry in
            var fields = orderedFields(entry.step, except: ["outcome", "outcomeType", "outcomeMessage"])
            fields.append(("outcome", .string(entry.outcome.name)))
            fields.append(("outcomeType", .optional(entry.outcome.type)))
            fields.append(("outcomeMessage", .optional(entry.outcome.message)))
            fields.append(("shards", .strings(entry.shards)))
            return .object(fields)
        }
        let services: [JSONValue] = serviceOrder.map { reference in
            let entries = servicesByReference[reference]!
            let failedEntry = entries.first { $0["phase"] as? String == ServicePhase.failed.rawValue }
            return .object(orderedFields(failedEntry ?? entries[0], except: []))
        }
        let json = JSONValue.object([
            ("phase", .string(phase.rawValue)),
            ("exitStatus", .int(failed ? 1 : 0)),
            ("stopReason", .null),
            ("startedAt", JSONReport.time(startedAt)),
            ("completedAt", JSONReport.time(completedAt)),
            ("file", value(first.object["file"])),
            ("trigger", value(first.object["trigger"])),
            ("targets", value(first.object["targets"])),
            ("merged", .strings(shards)),
            ("counts", JSONReport.counts(outcomes)),
            ("steps", .array(steps)),
            ("services", .array(services)),
            ("ports", .array(ports)),
        ])

        var tasks: [JUnitReport.Case] = []
        var serviceCases: [JUnitReport.Case] = []
        for entry in merged {
            let reference = entry.step["reference"] as? String ?? ""
            let logPath = (entry.step["logPath"] as? String).flatMap {
                FileManager.default.fileExists(atPath: $0) ? $0 : nil
            }
            let started = (entry.step["startedAt"] as? String).flatMap(Timestamp.parse)
            let completed = (entry.step["completedAt"] as? String).flatMap(Timestamp.parse)
            let time: Duration =
                if let started, let completed { .nanoseconds(Int64(completed.timeIntervalSince(started) * 1e9)) } else {
                    .zero
                }
            let item = JUnitReport.Case(
                name: reference,
                time: time,
                outcome: entry.outcome,
                logPath: logPath,
                displayPath: logPath
            )
            if entry.step["kind"] as? String == "service" { serviceCases.append(item) } else { tasks.append(item) }
        }
        var properties: [(String, String)] = [("file", first.object["file"] as? String ?? "")]
        if let trigger = first.object["trigger"] as? String { properties.append(("trigger", trigger)) }
        if let targets = first.object["targets"] as? [String], !targets.isEmpty {
            properties.append(("targets", targets.joined(separator: " ")))
        }
        properties.append(("shards", shards.joined(separator: " ")))
        let junit = JUnitReport.document(
            tasks: tasks,
            services: serviceCases,
            properties: properties,
            startedAt: startedAt,
            completedAt: completedAt
        )
        return Merged(json: json, junit: junit, failed: failed)
    }

    /// Reports of different files, selections or splits are not merged.
    private static func checkSamePlan(_ inputs: [Input]) throws(MergeError) {
        let first = inputs[0]
        for input in inputs {
            guard input.object["steps"] is [[String: Any]], input.object["file"] is String else {
                throw MergeError(description: "\(input.path) is not a JSON report of `automations run` (no steps)")
            }
            for key in ["file", "trigger", "targets"]
            where value(input.object[key]).serialized() != value(first.object[key]).serialized() {
                throw MergeError(
                    description: "\(input.path) and \(first.path) are reports of different plans: their \(key) "
                        + "differ (\(value(input.object[key]).serialized()) and \(value(first.object[key]).serialized()))"
                )
            }
        }
        let labels = inputs.map { $0.object["shard"] as? String }
        if labels.contains(where: { $0 != nil }) {
            let specs = labels.map { $0.flatMap(ShardSpec.init(parsing:)) }
            guard let firstSpec = specs[0], specs.allSatisfy({ $0?.total == firstSpec.total }) else {
                throw MergeError(
                    description: "the reports are not shards of one split: "
                        + labels.map { $0 ?? "no shard" }.joined(separator: ", ")
                )
            }
            var seen: Set<Int> = []
            for (index, spec) in specs.enumerated() where !seen.insert(spec!.index).inserted {
                throw MergeError(description: "shard \(spec!) appears twice (again in \(inputs[index].path))")
            }
        }
    }

    /// The fields of a decoded JSON object in a stable order: the JSON report's own keys first, then the rest sorted.
    private static func orderedFields(_ object: [String: Any], except: Set<String>) -> [(String, JSONValue)] {
        let known = [
            "reference", "kind", "group", "dependsOn", "phase", "startedAt", "completedAt", "readyAt", "exitStatus",
            "statusVersion", "failureMessage", "skipReason", "warning", "processesLeftRunning", "logPath",
        ]
        let keys = known.filter { object[$0] != nil } + object.keys.filter { !known.contains($0) }.sorted()
        return keys.filter { !except.contains($0) }.map { ($0, value(object[$0])) }
    }

    /// A decoded JSON value as a ``JSONValue`` (object keys sorted).
    static func value(_ any: Any?) -> JSONValue {
        switch any {
        case nil, is NSNull: return .null
        case let number as NSNumber:
            // JSONSerialization gives booleans as NSNumber of type `c`.
            if String(cString: number.objCType) == "c" { return .bool(number.boolValue) }
            let double = number.doubleValue
            return double == double.rounded() && abs(double) < 1e15 ? .int(Int64(double)) : .double(double)
        case let text as String: return .string(text)
        case let array as [Any]: return .array(array.map(value))
        case let object as [String: Any]: return .object(object.keys.sorted().map { ($0, value(object[$0])) })
        default: return .null
        }
    }
}
