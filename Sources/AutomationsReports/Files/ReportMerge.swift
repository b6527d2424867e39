import AutomationsModel
import Foundation

/// Why reports cannot be merged.
package enum MergeError: Error, CustomStringConvertible, Equatable {
    case noReports
    /// Reports of different files, selections or splits: which field differs, and its two values.
    case differentPlans(path: String, firstPath: String, field: String, values: (String, String))
    case notShardsOfOneSplit(labels: [String])
    case shardTwice(shard: String, path: String)
    /// Shards of the split whose reports were not given (`--allow-missing-shards` merges without them).
    case missingShards([String])

    package var description: String {
        switch self {
        case .noReports: "no reports to merge"
        case .differentPlans(let path, let firstPath, let field, let values):
            "\(path) and \(firstPath) are reports of different plans: their \(field) differ (\(values.0) and \(values.1))"
        case .notShardsOfOneSplit(let labels):
            "the reports are not shards of one split: " + labels.joined(separator: ", ")
        case .shardTwice(let shard, let path): "shard \(shard) appears twice (again in \(path))"
        case .missingShards(let shards):
            "the report\(shards.count == 1 ? " of shard" : "s of shards") \(Self.list(shards)) "
                + "\(shards.count == 1 ? "is" : "are") missing: a merge of part of a split would pass steps that never "
                + "ran; give every shard's report, or --allow-missing-shards to merge without them (the merged result "
                + "then fails)"
        }
    }

    /// `1/3`, `1/3 and 2/3`, `1/3, 2/3 and 3/3`.
    package static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }

    package static func == (left: MergeError, right: MergeError) -> Bool { left.description == right.description }
}

/// One JUnit and one JSON report from the JSON reports of a plan's shards, with counts as if one run had run the
/// union. A step that ran in several shards (a shared dependency) appears once: failed if it failed anywhere (the
/// shards named), else passed if it passed anywhere, else not run. The merged phase and exit status are decided by
/// ``RunVerdict``, as a run's are.
package enum ReportMerge {
    package struct Merged {
        package var report: RunReport
        package var junit: String
        /// The merged result failed (a required step failed or errored, or a shard was stopped).
        package var failed: Bool { report.exitStatus != 0 }
    }

    /// One input: its path (for messages) and its report.
    package typealias Input = (path: String, report: RunReport)

    /// Merges the reports; the shards of a split must all be there, unless `allowingMissingShards` (the merged
    /// report then names those missing, counts each as an error, and fails).
    package static func merge(_ inputs: [Input], allowingMissingShards: Bool = false) throws(MergeError) -> Merged {
        guard let first = inputs.first?.report else { throw .noReports }
        try checkSamePlan(inputs)
        let missing = missingShards(inputs)
        if !missing.isEmpty && !allowingMissingShards { throw .missingShards(missing) }
        let shards = inputs.enumerated().map { index, input in input.report.shard ?? "\(index + 1)" }
        let merged = mergedSteps(inputs, shards: shards)
        let services = mergedServices(inputs.map(\.report))
        // The shards ran side by side: the merged run took as long as its longest shard.
        let spans = zip(inputs, shards).map { input, shard in
            RunReport.ShardSpan(shard: shard, startedAt: input.report.startedAt, completedAt: input.report.completedAt)
        }
        let startedAt = inputs.compactMap(\.report.start).min() ?? Date()
        let longest = spans.compactMap(\.seconds).max() ?? 0
        let completedAt = startedAt.addingTimeInterval(max(0, longest))
        let verdict = RunVerdict(
            mergingShards: inputs.compactMap { ExecutionPhase(rawValue: $0.report.phase) },
            requiredFailure: !missing.isEmpty
                || merged.contains { entry in
                    (entry.outcome.name == "failure" || entry.outcome.name == "error") && !entry.step.warning
                }
        )
        var counts = JSONReport.counts(merged.map(\.outcome))
        counts.tests += missing.count
        counts.errors += missing.count
        let report = RunReport(
            phase: verdict.phase.rawValue,
            exitStatus: Int(verdict.exitStatus),
            stopReason: nil,
            startedAt: JSONReport.time(startedAt),
            completedAt: JSONReport.time(completedAt),
            file: first.file,
            trigger: first.trigger,
            targets: first.targets,
            shard: nil,
            merged: shards,
            missingShards: missing.isEmpty ? nil : missing,
            shardSpans: spans,
            plan: nil,
            counts: counts,
            steps: merged.map(\.step),
            services: services,
            ports: inputs.flatMap(\.report.ports)
        )
        return Merged(report: report, junit: junit(report, startedAt: startedAt, completedAt: completedAt))
    }

    /// Each step once, in the order first seen: the entry that failed, else one that passed, else the first.
    private static func mergedSteps(
        _ inputs: [Input],
        shards: [String]
    ) -> [(step: RunReport.Step, outcome: StepOutcome)] {
        var order: [String] = []
        var entriesByKey: [String: [(shard: String, step: RunReport.Step)]] = [:]
        for (input, shard) in zip(inputs, shards) {
            for step in input.report.steps {
                let key = "\(step.kind):\(step.reference)"
                if entriesByKey[key] == nil { order.append(key) }
                entriesByKey[key, default: []].append((shard, step))
            }
        }
        return order.map { key in
            let entries = entriesByKey[key]!
            let outcomes = entries.map(\.step.stepOutcome)
            let failing = entries.indices.filter { outcomes[$0].name == "failure" || outcomes[$0].name == "error" }
            let chosen = failing.first ?? entries.indices.first { outcomes[$0].name == "passed" } ?? 0
            var outcome = outcomes[chosen]
            if !failing.isEmpty {
                let named = failing.map { entries[$0].shard }.joined(separator: ", ")
                let message = "\(outcome.message ?? "failed") (in shard \(named))"
                outcome =
                    outcome.name == "failure"
                    ? .failure(type: outcome.type ?? "exit-status", message: message)
                    : .error(type: outcome.type ?? "could-not-run", message: message)
            }
            var step = entries[chosen].step
            step.outcome = outcome.name
            step.outcomeType = outcome.type
            step.outcomeMessage = outcome.message
            // The shard whose entry is kept comes first: its times are the step's.
            step.shards = [entries[chosen].shard] + entries.indices.filter { $0 != chosen }.map { entries[$0].shard }
            return (step, outcome)
        }
    }

    /// Each service once: the entry of a shard where it failed, else the first.
    private static func mergedServices(_ reports: [RunReport]) -> [RunReport.Service] {
        var order: [String] = []
        var byReference: [String: [RunReport.Service]] = [:]
        for service in reports.flatMap(\.services) {
            if byReference[service.reference] == nil { order.append(service.reference) }
            byReference[service.reference, default: []].append(service)
        }
        return order.map { reference in
            let entries = byReference[reference]!
            return entries.first { $0.phase == ServicePhase.failed.rawValue } ?? entries[0]
        }
    }

    private static func junit(_ report: RunReport, startedAt: Date, completedAt: Date) -> String {
        var tasks: [JUnitReport.Case] = []
        var serviceCases: [JUnitReport.Case] = []
        for step in report.steps {
            let logPath = step.logPath.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
            let item = JUnitReport.Case(
                name: step.reference,
                time: step.duration ?? .zero,
                outcome: step.stepOutcome,
                logPath: logPath,
                displayPath: logPath
            )
            if step.isService { serviceCases.append(item) } else { tasks.append(item) }
        }
        for shard in report.missingShards ?? [] {
            let message =
                "the report of shard \(shard) was not merged (merge --allow-missing-shards): its steps may not have run"
            tasks.append(
                JUnitReport.Case(
                    name: "shard \(shard)",
                    time: .zero,
                    outcome: .error(type: "missing-shard", message: message),
                    logPath: nil,
                    displayPath: nil
                )
            )
        }
        var properties: [(String, String)] = [("file", report.file)]
        if let trigger = report.trigger { properties.append(("trigger", trigger)) }
        if !report.targets.isEmpty { properties.append(("targets", report.targets.joined(separator: " "))) }
        properties.append(("shards", (report.merged ?? []).joined(separator: " ")))
        if let missing = report.missingShards { properties.append(("missing-shards", missing.joined(separator: " "))) }
        return JUnitReport.document(
            tasks: tasks,
            services: serviceCases,
            properties: properties,
            startedAt: startedAt,
            completedAt: completedAt
        )
    }

    /// The shards of the split (`K/N`) with no report among the inputs.
    private static func missingShards(_ inputs: [Input]) -> [String] {
        let specs = inputs.compactMap { $0.report.shard.flatMap(ShardSpec.init(parsing:)) }
        guard let total = specs.first?.total else { return [] }
        let seen = Set(specs.map(\.index))
        return (1...total).filter { !seen.contains($0) }.map { "\($0)/\(total)" }
    }

    /// Reports of different files, selections or splits are not merged.
    private static func checkSamePlan(_ inputs: [Input]) throws(MergeError) {
        let (firstPath, first) = inputs[0]
        for (path, report) in inputs {
            let fields: [(String, String, String)] = [
                ("file", report.file, first.file),
                ("trigger", report.trigger ?? "null", first.trigger ?? "null"),
                ("targets", report.targets.joined(separator: " "), first.targets.joined(separator: " ")),
            ]
            for (field, value, firstValue) in fields where value != firstValue {
                throw .differentPlans(path: path, firstPath: firstPath, field: field, values: (value, firstValue))
            }
        }
        let labels = inputs.map(\.report.shard)
        guard labels.contains(where: { $0 != nil }) else { return }
        let specs = labels.map { $0.flatMap(ShardSpec.init(parsing:)) }
        guard let firstSpec = specs[0], specs.allSatisfy({ $0?.total == firstSpec.total }) else {
            throw .notShardsOfOneSplit(labels: labels.map { $0 ?? "no shard" })
        }
        var seen: Set<Int> = []
        for (index, spec) in specs.enumerated() where !seen.insert(spec!.index).inserted {
            throw .shardTwice(shard: spec!.description, path: inputs[index].path)
        }
    }
}
