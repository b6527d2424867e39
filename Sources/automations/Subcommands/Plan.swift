import ArgumentParser
import AutomationsConfig
import AutomationsModel
import AutomationsRun
import Foundation

/// `automations plan`: the groups of steps a run would execute.
struct Plan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the execution plan: groups run in order, the steps of a group concurrently.",
        discussion: """
            Targets are the given references, the items selected by --trigger, or (with neither) every task. \
            Their dependencies come along; a shared dependency runs once.

            Examples:
              automations plan test lint
              automations plan --trigger postEnvironmentStart --format json
            """
    )

    @Argument(help: "References of tasks or services to plan.")
    var references: [String] = []

    @Option(help: "Select every service and task whose triggeredBy holds this trigger.")
    var trigger: String?

    @OptionGroup var options: FileOptions

    @Option(
        help: ArgumentHelp(
            "groups (the default), or dependencies: each step as soon as its own dependencies have succeeded.",
            valueName: "schedule"
        )
    )
    var schedule: PlanSchedule = .groups

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @OptionGroup var sharding: ShardOptions

    @Option(help: ArgumentHelp("Show the split into N shards with their predicted durations.", valueName: "N"))
    var shards: Int?

    @Flag(
        help:
            "For each task: its result-cache key, what went into it, and whether a run would reuse a stored success (and, for a miss, which inputs changed)."
    )
    var explain = false

    @Option(help: ArgumentHelp("The local result cache (as for run).", valueName: "dir"))
    var cacheDir: String?

    @Option(
        help: ArgumentHelp(
            "Select by the changes since REF (as run does), and say why each step runs or not.",
            valueName: "REF"
        )
    )
    var changedSince: String?

    @Option(
        help: ArgumentHelp(
            "Select by these files (one path a line, - for standard input), and say why.",
            valueName: "path"
        )
    )
    var changedFiles: String?

    func run() async throws {
        let loaded = try options.load()
        let file = loaded.file
        if changedSince != nil || changedFiles != nil {
            try await printChangeSelection(loaded)
            if !explain { return }
        }
        if explain {
            let selection = try TargetSelection.parse(references: references, trigger: trigger, options: options)
            let plan: ExecutionPlan
            do {
                plan = try Planner.plan(file, selecting: selection)
            } catch {
                throw options.fail(error.description)
            }
            var settings = CacheSettings()
            settings.folder = cacheDir.map { RunSetup.absolute($0, from: FileManager.default.currentDirectoryPath) }
            let environment = ProcessInfo.processInfo.environment
            settings.remoteURL = environment["AUTOMATIONS_CACHE_URL"].flatMap { $0.isEmpty ? nil : $0 }
            settings.remoteToken = environment["AUTOMATIONS_CACHE_TOKEN"]
            print(
                await CacheExplanation.text(loaded: loaded, plan: plan, settings: settings, environment: environment),
                terminator: ""
            )
            return
        }
        let selection = try TargetSelection.parse(references: references, trigger: trigger, options: options)
        if let shards {
            guard shards >= 1 else { throw options.fail("--shards \(shards): at least 1") }
            if sharding.shard != nil { throw options.fail("--shards and --shard do not go together") }
            let timings = try await shardTimings(loaded)
            let assignment: ShardAssignment
            do {
                assignment = try ShardPlanner.assign(file, selecting: selection, shards: shards, timings: timings)
            } catch {
                throw options.fail(error.description)
            }
            try printAll(assignment, file: file)
            return
        }
        let plan: ExecutionPlan
        var predicted: Duration?
        let shard: ShardSpec?
        do {
            shard = try sharding.resolve(options: options)
            if let shard {
                let timings = try await shardTimings(loaded)
                let part = try ShardPlanner.plan(file, selecting: selection, shard: shard, timings: timings)
                plan = part.plan
                predicted = part.predicted
                if format == .text { print("shard \(shard): predicted \(DurationText.human(part.predicted)) of work") }
            } else {
                plan = try Planner.plan(file, selecting: selection)
            }
        } catch let error as PlanError {
            throw options.fail(error.description)
        }
        switch format {
        case .text where schedule == .dependencies:
            print(dependencyText(plan, emptyReason: selection.emptyPlanReason(shard: shard)), terminator: "")
        case .text: print(text(plan, emptyReason: selection.emptyPlanReason(shard: shard)), terminator: "")
        case .json where schedule == .dependencies:
            guard case .object(var fields) = plan.jsonValue else { return }
            fields.append(("schedule", .string(schedule.rawValue)))
            fields.append(("longestChain", .strings(plan.longestChain())))
            if let predicted { fields.append(("predictedSeconds", .string(DurationText.seconds(predicted)))) }
            print(JSONValue.object(fields).serialized(pretty: true))
        case .json:
            guard let predicted, case .object(var fields) = plan.jsonValue else {
                print(plan.jsonValue.serialized(pretty: true))
                return
            }
            fields.append(("predictedSeconds", .string(DurationText.seconds(predicted))))
            print(JSONValue.object(fields).serialized(pretty: true))
        }
    }

    /// `--timings`, else the history's medians (said on standard error), else none (an even split).
    private func shardTimings(_ loaded: LoadedAutomationsFile) async throws -> [String: Duration] {
        guard sharding.timings.isEmpty else { return try sharding.durations(options: options) }
        let location = ProcessInfo.processInfo.environment["AUTOMATIONS_HISTORY"].flatMap { $0.isEmpty ? nil : $0 }
        guard
            let found = await HistoryTimings.load(
                settings: HistorySettings(location: location),
                workingDirectory: loaded.rootDirectory
            )
        else { return [:] }
        FileHandle.standardError.write(Data("automations: \(found.notice)\n".utf8))
        return found.durations
    }

    /// Each step of the plan with why the changes select it or leave it out.
    private func printChangeSelection(_ loaded: LoadedAutomationsFile) async throws {
        if changedSince != nil && changedFiles != nil {
            throw options.fail("--changed-since and --changed-files exclude each other")
        }
        let selection = try TargetSelection.parse(references: references, trigger: trigger, options: options)
        let plan: ExecutionPlan
        do {
            plan = try Planner.plan(loaded.file, selecting: selection)
        } catch {
            throw options.fail(error.description)
        }
        let directory = FileManager.default.currentDirectoryPath
        let scope = ChangeScope(
            loaded: loaded,
            workingDirectory: loaded.rootDirectory,
            invocationDirectory: directory,
            environment: ProcessInfo.processInfo.environment
        )
        let source = changedSince.map(ChangeSource.since) ?? changedFiles.map(ChangeSource.files)
        let outcome: ChangeOutcome?
        do {
            outcome = try await scope.outcome(for: plan, source: source, skipDuring: [])
        } catch {
            throw options.fail(error.description)
        }
        if let outcome { print(outcome.explanation(of: plan), terminator: "") }
    }

    /// Every shard with its predicted work and targets, and the predicted makespan.
    private func printAll(_ assignment: ShardAssignment, file: AutomationsFile) throws {
        let total = assignment.targets.count
        switch format {
        case .text:
            let work = assignment.predicted.reduce(Duration.zero, +)
            print(
                "\(total) shard\(total == 1 ? "" : "s"): predicted makespan \(DurationText.human(assignment.makespan)) "
                    + "(work \(DurationText.human(work)) in all)"
            )
            for (index, targets) in assignment.targets.enumerated() {
                let predicted = DurationText.human(assignment.predicted[index])
                print(
                    "shard \(index + 1)/\(total): predicted \(predicted); \(targets.count) target\(targets.count == 1 ? "" : "s"): \(targets.joined(separator: " "))"
                )
            }
        case .json:
            let shards: [JSONValue] = assignment.targets.enumerated().map { index, targets in
                .object([
                    ("shard", .string("\(index + 1)/\(total)")),
                    ("predictedSeconds", .string(DurationText.seconds(assignment.predicted[index]))),
                    ("targets", .strings(targets)),
                ])
            }
            let value = JSONValue.object([
                ("makespanSeconds", .string(DurationText.seconds(assignment.makespan))),
                ("shards", .array(shards)),
            ])
            print(value.serialized(pretty: true))
        }
    }

    /// The plan as `--schedule dependencies` runs it: each step with what it waits for, and the longest chain.
    private func dependencyText(_ plan: ExecutionPlan, emptyReason: String) -> String {
        let count = plan.stepCount
        guard count > 0 else { return emptyReason + "\n" }
        var output = "\(count) step\(count == 1 ? "" : "s"), each as soon as its own dependencies have succeeded\n"
        let width = plan.steps.map(\.reference.count).max() ?? 0
        for step in plan.steps { output += line(step, width: width) }
        return output + "longest chain: " + plan.longestChain().joined(separator: " -> ") + "\n"
    }

    /// `  task    unit  after deps`: a step, its kind and what it waits for, references padded to `width`.
    private func line(_ step: PlanStep, width: Int) -> String {
        let kind = step.kind == .service ? "service" : "task   "
        var line = "  \(kind) \(step.reference)"
        if !step.dependsOn.isEmpty {
            line += String(repeating: " ", count: width - step.reference.count)
            line += "  after " + step.dependsOn.joined(separator: ", ")
        }
        return line + "\n"
    }

    private func text(_ plan: ExecutionPlan, emptyReason: String) -> String {
        let count = plan.stepCount
        guard count > 0 else { return emptyReason + "\n" }
        var output =
            "\(count) step\(count == 1 ? "" : "s") in \(plan.groups.count) group\(plan.groups.count == 1 ? "" : "s")\n"
        let width = plan.steps.map(\.reference.count).max() ?? 0
        for (index, group) in plan.groups.enumerated() {
            output += "group \(index + 1)\n"
            for step in group { output += line(step, width: width) }
        }
        return output
    }
}

extension TargetSelection {
    /// The selection from command-line words; an unknown trigger exits with status 2 and a suggestion.
    static func parse(references: [String], trigger: String?, options: FileOptions) throws -> TargetSelection {
        guard let trigger else { return TargetSelection(references: references) }
        guard let parsed = Trigger(rawValue: trigger) else {
            throw options.fail("unknown trigger '\(trigger)' (\(FileRules.triggerHint(for: trigger)))")
        }
        return TargetSelection(references: references, trigger: parsed)
    }
}
