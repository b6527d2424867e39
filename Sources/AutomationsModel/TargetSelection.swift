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
