import AutomationsHistory
import AutomationsModel
import Foundation

/// What the history says of the plan's steps, read before the run: the console marks a failure of a step known as
/// flaky, and the reports show each step's usual duration. Without a history (or one that cannot be read): none.
enum HistoryHints {
    static func load(_ setup: RunSetup, plan: ExecutionPlan) async -> [String: StepHistory] {
        let settings = setup.configuration.history
        guard settings.enabled, plan.stepCount > 0, plan.stepCount <= 10_000 else { return [:] }
        let location = settings.resolved(in: setup.workingDirectory)
        if !location.contains("://"), !FileManager.default.fileExists(atPath: location) { return [:] }
        guard let store = try? await HistoryStore.open(location) else { return [:] }
        let trends = (try? await store.trends(of: plan.steps.map(\.reference))) ?? []
        await store.close()
        var hints: [String: StepHistory] = [:]
        for trend in trends {
            hints[trend.reference] = StepHistory(
                runs: trend.runs,
                medianSeconds: trend.medianSeconds,
                p95Seconds: trend.p95Seconds,
                flakyRate: trend.flakyRate
            )
        }
        return hints
    }
}
