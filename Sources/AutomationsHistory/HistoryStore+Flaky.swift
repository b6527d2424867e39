/// A step or inner test that both failed and passed with the same inputs: on the same commit (or cache key), or
/// within one run (it passed after a retry).
package struct FlakyRecord: Sendable, Equatable {
    /// A step's reference, or `STEP/SUITE/NAME` for an inner test.
    package var name: String
    package var runs: Int
    /// Runs in which it was flaky: passed only after a retry, or failed where it also passed.
    package var flakyRuns: Int
    package var lastAt: Double
    package var lastCommit: String?

    package var rate: Double { runs == 0 ? 0 : Double(flakyRuns) / Double(runs) }
}

extension HistoryStore {
    /// Everything that was flaky, the most flaky first.
    package func flaky() async throws -> [FlakyRecord] {
        let steps = try await database.rows(
            """
            SELECT s.reference, s.result, CAST(s.flaky AS TEXT), r.commit_sha, s.cache_key, CAST(r.started_at AS TEXT)
            FROM steps s JOIN runs r ON r.id = s.run_id WHERE s.result <> 'skipped'
            """,
            []
        )
        let tests = try await database.rows(
            """
            SELECT t.step || '/' || t.suite || '/' || t.name, t.result, '0', r.commit_sha, NULL, CAST(r.started_at AS TEXT)
            FROM tests t JOIN runs r ON r.id = t.run_id WHERE t.result <> 'skipped'
            """,
            []
        )
        return Self.flaky(in: steps + tests)
    }

    /// Rows of `name, result, flaky, commit, key, startedAt`.
    static func flaky(in rows: [[String?]]) -> [FlakyRecord] {
        struct Outcomes {
            var passed = false
            var failed = false
            var last = 0.0
            var commit: String?
        }
        var runs: [String: Int] = [:]
        var retried: [String: [(Double, String?)]] = [:]
        var byInputs: [String: [String: Outcomes]] = [:]
        for row in rows {
            guard let name = row[0], let result = row[1], let at = row[5].flatMap(Double.init) else { continue }
            runs[name, default: 0] += 1
            if row[2] == "1" { retried[name, default: []].append((at, row[3])) }
            guard let inputs = row[4] ?? row[3] else { continue }
            var outcomes = byInputs[name, default: [:]][inputs] ?? Outcomes()
            if result == "passed" { outcomes.passed = true } else { outcomes.failed = true }
            if at >= outcomes.last { (outcomes.last, outcomes.commit) = (at, row[3]) }
            byInputs[name, default: [:]][inputs] = outcomes
        }
        var records: [FlakyRecord] = []
        for (name, count) in runs {
            var occurrences = retried[name] ?? []
            for outcomes in (byInputs[name] ?? [:]).values where outcomes.passed && outcomes.failed {
                occurrences.append((outcomes.last, outcomes.commit))
            }
            guard let last = occurrences.max(by: { $0.0 < $1.0 }) else { continue }
            records.append(
                FlakyRecord(name: name, runs: count, flakyRuns: occurrences.count, lastAt: last.0, lastCommit: last.1)
            )
        }
        return records.sorted { ($0.rate, $0.name) > ($1.rate, $1.name) }
    }
}
