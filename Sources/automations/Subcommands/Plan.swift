import ArgumentParser
import AutomationsConfig
import AutomationsModel

/// `automations plan`: the groups of steps a run would execute.
struct Plan: ParsableCommand {
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

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let file = try options.load().file
        let selection = try TargetSelection.parse(references: references, trigger: trigger, options: options)
        let plan: ExecutionPlan
        do {
            plan = try Planner.plan(file, selecting: selection)
        } catch {
            throw options.fail(error.description)
        }
        switch format {
        case .text: print(text(plan), terminator: "")
        case .json: print(plan.jsonValue.serialized(pretty: true))
        }
    }

    private func text(_ plan: ExecutionPlan) -> String {
        let count = plan.stepCount
        guard count > 0 else { return "nothing to run: the selection holds no services or tasks\n" }
        var output =
            "\(count) step\(count == 1 ? "" : "s") in \(plan.groups.count) group\(plan.groups.count == 1 ? "" : "s")\n"
        let width = plan.steps.map(\.reference.count).max() ?? 0
        for (index, group) in plan.groups.enumerated() {
            output += "group \(index + 1)\n"
            for step in group {
                let kind = step.kind == .service ? "service" : "task   "
                var line = "  \(kind) \(step.reference)"
                if !step.dependsOn.isEmpty {
                    line += String(repeating: " ", count: width - step.reference.count)
                    line += "  after " + step.dependsOn.joined(separator: ", ")
                }
                output += line + "\n"
            }
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
