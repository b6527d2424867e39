import AutomationsCache
import AutomationsModel

/// Which stored successes a run uses, and which services it then does not need.
struct CacheDecisions: Sendable {
    /// The tasks served from the cache.
    var hits: [String: CachedResult]
    /// Services no task that runs needs (every task that needs them is a hit): not started.
    var unneededServices: Set<String>

    /// A hit never breaks a dependent: a task whose dependent runs and that did not declare its outputs (a build
    /// whose files the tests read) runs too; one that declared them (`outputs: []` included) is restored. A flaky pass is reused only when the run may retry.
    init(
        plan: ExecutionPlan,
        found: [String: CachedResult],
        keys: [String: TaskKey],
        targets: Set<String>,
        retries: Int
    ) {
        var hits = found.filter { retries > 0 || !$0.value.entry.flaky }
        var changed = true
        while changed {
            changed = false
            for step in plan.steps where step.kind == .task && hits[step.reference] == nil {
                for dependency in step.dependsOn where hits[dependency] != nil {
                    if keys[dependency]?.outputs == nil {
                        hits[dependency] = nil
                        changed = true
                    }
                }
            }
        }
        self.hits = hits
        var needed: Set<String> = targets
        for step in plan.steps where step.kind == .task && hits[step.reference] == nil {
            needed.formUnion(step.dependsOn)
        }
        // A service a needed service depends on is needed too.
        for step in plan.steps.reversed() where step.kind == .service && needed.contains(step.reference) {
            needed.formUnion(step.dependsOn)
        }
        unneededServices = Set(
            plan.steps.filter { $0.kind == .service && !needed.contains($0.reference) }.map(\.reference)
        )
    }

    /// The plan without the services no running task needs.
    func trimmed(_ plan: ExecutionPlan) -> ExecutionPlan {
        guard !unneededServices.isEmpty else { return plan }
        let groups = plan.groups.map { group in group.filter { !unneededServices.contains($0.reference) } }
            .filter { !$0.isEmpty }
        return ExecutionPlan(
            groups: groups.enumerated().map { index, group in
                group.map { step in
                    var step = step
                    step.group = index
                    step.dependsOn.removeAll { unneededServices.contains($0) }
                    return step
                }
            }
        )
    }
}
