import AutomationsCache
import AutomationsModel
import Foundation
import Testing

@testable import AutomationsRun

/// Which stored successes a run uses: a hit never breaks a dependent, a flaky pass only where a retry was allowed,
/// and a service no running task needs is not started.
struct CacheDecisionsTests {
    private let plan = ExecutionPlan(groups: [
        [
            PlanStep(reference: "build", kind: .task, group: 0, dependsOn: []),
            PlanStep(reference: "db", kind: .service, group: 0, dependsOn: []),
        ],
        [PlanStep(reference: "test", kind: .task, group: 1, dependsOn: ["build", "db"])],
    ])

    private func hit(_ reference: String, flaky: Bool = false) -> CachedResult {
        let entry = CacheEntry(
            reference: reference,
            storedAt: Date(),
            commit: nil,
            durationSeconds: 1,
            flaky: flaky,
            attempts: flaky ? 2 : 1
        )
        return CachedResult(key: reference, entry: entry, log: nil, outputs: [], junitFiles: [], fromRemote: false)
    }

    private func keys(buildOutputs: [String]?) -> [String: TaskKey] {
        [
            "build": TaskKey(reference: "build", key: "k1", reason: nil, inputs: [:], outputs: buildOutputs),
            "test": TaskKey(reference: "test", key: "k2", reason: nil, inputs: [:], outputs: nil),
        ]
    }

    @Test func aTaskWithUndeclaredOutputsRunsWhenItsDependentRuns() {
        let decisions = CacheDecisions(
            plan: plan,
            found: ["build": hit("build")],
            keys: keys(buildOutputs: nil),
            targets: [],
            retries: 0
        )
        #expect(decisions.hits.isEmpty, "test runs, and build's files may be what it reads")
        #expect(decisions.unneededServices.isEmpty)
    }

    @Test func declaredOutputsAreRestoredInstead() {
        let decisions = CacheDecisions(
            plan: plan,
            found: ["build": hit("build")],
            keys: keys(buildOutputs: ["dist/**"]),
            targets: [],
            retries: 0
        )
        #expect(Set(decisions.hits.keys) == ["build"])
    }

    @Test func whenEveryTaskThatNeedsAServiceIsAHitTheServiceIsNotStarted() {
        let all = CacheDecisions(
            plan: plan,
            found: ["build": hit("build"), "test": hit("test")],
            keys: keys(buildOutputs: nil),
            targets: [],
            retries: 0
        )
        #expect(all.unneededServices == ["db"])
        #expect(all.trimmed(plan).steps.map(\.reference) == ["build", "test"])
        #expect(all.trimmed(plan).steps.last?.dependsOn == ["build"])
        let asked = CacheDecisions(
            plan: plan,
            found: ["build": hit("build"), "test": hit("test")],
            keys: keys(buildOutputs: nil),
            targets: ["db"],
            retries: 0
        )
        #expect(asked.unneededServices.isEmpty, "a service named as a target runs")
    }

    @Test func aFlakyPassIsReusedOnlyByARunThatMayRetry() {
        let found = ["build": hit("build", flaky: true), "test": hit("test")]
        let noRetries = CacheDecisions(
            plan: plan,
            found: found,
            keys: keys(buildOutputs: ["dist/**"]),
            targets: [],
            retries: 0
        )
        #expect(Set(noRetries.hits.keys) == ["test"])
        let retries = CacheDecisions(
            plan: plan,
            found: found,
            keys: keys(buildOutputs: ["dist/**"]),
            targets: [],
            retries: 1
        )
        #expect(Set(retries.hits.keys) == ["build", "test"])
    }
}
