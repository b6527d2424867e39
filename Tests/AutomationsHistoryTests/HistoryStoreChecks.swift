import AutomationsHistory
import Foundation
import Testing

/// The same checks on every kind of store: recorded once, trends and usual durations right.
enum HistoryStoreChecks {
    static func run(
        _ id: String,
        at start: Double,
        commit: String,
        _ steps: [(String, String, Double, Bool)]
    ) -> RecordedRun {
        RecordedRun(
            id: id,
            startedAt: start,
            completedAt: start + 10,
            commit: commit,
            branch: nil,
            trigger: nil,
            targets: [],
            shard: nil,
            verdict: steps.contains { $0.1 == "failed" } ? "failed" : "succeeded",
            source: "run",
            steps: steps.map { reference, result, seconds, flaky in
                .init(
                    reference: reference,
                    kind: "task",
                    key: nil,
                    durationSeconds: seconds,
                    result: result,
                    attempts: flaky ? 2 : 1,
                    flaky: flaky,
                    cached: false
                )
            },
            tests: [.init(step: "unit", suite: "math", name: "adds", timeSeconds: 0.01, result: "passed")]
        )
    }

    static func checkAll(_ location: String) async throws {
        let store = try await HistoryStore.open(location)
        #expect(
            try await store.record(
                run("r1", at: 1000, commit: "a1", [("unit", "passed", 2, false), ("e2e", "failed", 30, false)])
            )
        )
        #expect(
            try await !store.record(run("r1", at: 1000, commit: "a1", [("unit", "passed", 2, false)])),
            "recorded once"
        )
        for index in 2...13 {
            let seconds = Double(index)
            try await store.record(
                run(
                    "r\(index)",
                    at: 1000 + seconds * 100,
                    commit: "c\(index)",
                    [("unit", "passed", seconds, index == 5), ("e2e", "passed", 20, false)]
                )
            )
        }
        let usual = try await store.usualDurations(last: 10)
        // unit's last 10 passing runs took 4…13 s: the median (nearest rank) is 8 s.
        #expect(usual["unit"] == .seconds(8), "\(usual)")
        #expect(usual["e2e"] == .seconds(20))
        let trends = try await store.trends()
        let unit = try #require(trends.first { $0.reference == "unit" })
        #expect(unit.runs == 13 && unit.passed == 13 && unit.flaky == 1)
        let e2e = try #require(trends.first { $0.reference == "e2e" })
        #expect(e2e.runs == 13 && e2e.passed == 12)
        #expect(e2e.lastFailure?.at == 1000 && e2e.lastFailure?.commit == "a1")
        #expect(try await store.trends(of: ["e2e"]).map(\.reference) == ["e2e"])
        await store.close()
        // Opened again: the migrations do not run twice, and the runs are there.
        let again = try await HistoryStore.open(location)
        #expect(try await again.trends().count == 2)
        await again.close()
    }
}
