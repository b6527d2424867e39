import AutomationsCache
import AutomationsHistory
import AutomationsModel
import AutomationsReports
import Foundation

/// A finished run made into what the history keeps, and recorded; a history that cannot be reached or written is
/// a warning, never a failure of the run.
enum RunRecording {
    static func record(
        _ outcome: RunOutcome,
        setup: RunSetup,
        keys: [String: TaskKey],
        commit: String?
    ) async -> [String] {
        let settings = setup.configuration.history
        guard settings.enabled else { return [] }
        let location = settings.resolved(in: setup.workingDirectory)
        let run = recorded(outcome, setup: setup, keys: keys, commit: commit)
        do {
            let store = try await HistoryStore.open(location)
            do {
                try await store.record(run)
            } catch {
                await store.close()
                throw error
            }
            await store.close()
            return []
        } catch {
            return [
                "warning: the run was not recorded in the history (\(HistorySettings.shown(location))): \(HistoryStore.describe(error))"
            ]
        }
    }

    static func recorded(
        _ outcome: RunOutcome,
        setup: RunSetup,
        keys: [String: TaskKey],
        commit: String?
    ) -> RecordedRun {
        let report = outcome.report
        let steps = report.steps.map { step in
            RecordedRun.Step(
                reference: step.step.reference,
                kind: step.step.kind.rawValue,
                key: step.cache?.key ?? keys[step.step.reference]?.key,
                durationSeconds: step.cache == nil ? step.duration.map(seconds) : 0,
                result: result(StepOutcome(step, service: nil).name),
                attempts: step.attempts,
                flaky: step.isFlaky,
                cached: step.cache != nil
            )
        }
        var tests: [RecordedRun.TestCase] = []
        for (reference, collected) in outcome.innerTests {
            for suite in collected.suites {
                for test in suite.cases {
                    tests.append(
                        .init(
                            step: reference,
                            suite: suite.name,
                            name: test.name,
                            timeSeconds: test.time,
                            result: test.outcome.map(Self.result) ?? "passed"
                        )
                    )
                }
            }
        }
        return RecordedRun(
            id: UUID().uuidString.lowercased(),
            startedAt: report.startedAt.timeIntervalSince1970,
            completedAt: report.completedAt.timeIntervalSince1970,
            commit: commit,
            branch: setup.environment["GITHUB_HEAD_REF"].flatMap { $0.isEmpty ? nil : $0 }
                ?? setup.environment["CI_COMMIT_REF_NAME"],
            trigger: setup.selection.trigger?.rawValue,
            targets: setup.selection.references,
            shard: setup.configuration.shard?.description,
            verdict: report.phase.shortName,
            source: "run",
            steps: steps,
            tests: tests
        )
    }

    /// `passed`, `failed`, `error`, `skipped` (JUnit's `failure` is a failed step or test).
    private static func result(_ outcome: String) -> String { outcome == "failure" ? "failed" : outcome }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
