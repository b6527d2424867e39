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

/// When the steps of a plan start.
public enum PlanSchedule: String, Sendable, CaseIterable {
    /// Group after group, the steps of a group concurrently: Gitpod's plan.
    case groups
    /// Each step as soon as its own dependencies have succeeded (services ready, tasks done).
    case dependencies
}

extension ExecutionPlan {
    /// The longest chain of steps through `dependsOn` (by `weight`, default one per step): what bounds a run
    /// scheduled by dependencies. The first of equally long chains, in plan order.
    public func longestChain(weight: (PlanStep) -> Double = { _ in 1 }) -> [String] {
        var best: [String: (length: Double, chain: [String])] = [:]
        for step in steps {  // groups are in dependency order
            let before = step.dependsOn.compactMap { best[$0] }.max { $0.length < $1.length }
            best[step.reference] = ((before?.length ?? 0) + weight(step), (before?.chain ?? []) + [step.reference])
        }
        return steps.compactMap { best[$0.reference] }.max { $0.length < $1.length }?.chain ?? []
    }
}
