/// What a step of a plan runs.
public enum StepKind: String, Sendable, Hashable {
    /// Make sure a service is RUNNING.
    case service
    /// Run a task's command.
    case task
}

/// One step of a plan: a task to run or a service to bring up.
public struct PlanStep: Sendable, Hashable {
    public var reference: String
    public var kind: StepKind
    /// The 0-based group the step belongs to.
    public var group: Int
    /// The references this step waits for, in the order the file lists them.
    public var dependsOn: [String]

    public init(reference: String, kind: StepKind, group: Int, dependsOn: [String]) {
        self.reference = reference
        self.kind = kind
        self.group = group
        self.dependsOn = dependsOn
    }
}

/// Groups of steps: the groups run one after another, the steps of a group concurrently.
public struct ExecutionPlan: Sendable, Hashable {
    /// Each group's steps, ordered by reference.
    public var groups: [[PlanStep]]

    public init(groups: [[PlanStep]]) {
        self.groups = groups
    }

    /// Every step, group by group.
    public var steps: [PlanStep] { groups.flatMap { $0 } }

    /// The number of steps.
    public var stepCount: Int { groups.reduce(0) { $0 + $1.count } }
}
