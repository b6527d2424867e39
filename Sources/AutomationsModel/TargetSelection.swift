/// What a run or a plan is asked to do: references, a trigger, or (with neither) every task of the file.
public struct TargetSelection: Sendable, Hashable {
    /// References of tasks or services, as written on the command line.
    public var references: [String]
    /// Selects every service and task whose `triggeredBy` holds it.
    public var trigger: Trigger?

    public init(references: [String] = [], trigger: Trigger? = nil) {
        self.references = references
        self.trigger = trigger
    }

    /// Every task of the file.
    public static let allTasks = TargetSelection()
}

extension TargetSelection {
    /// Why this selection plans no step (in `shard`, when the plan was split), as `plan` and `run` say it
    /// (`nothing to run: …`).
    public func emptyPlanReason(shard: ShardSpec? = nil) -> String {
        if let shard { return "nothing to run: shard \(shard) got no targets" }
        if let trigger { return "nothing to run: no service or task has trigger '\(trigger.rawValue)'" }
        if references.isEmpty { return "nothing to run: the file defines no tasks" }
        return "nothing to run: the selection holds no services or tasks"
    }
}
