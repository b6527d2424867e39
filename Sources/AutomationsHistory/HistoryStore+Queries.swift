import Foundation

/// What the history says of one step across runs.
package struct StepTrend: Sendable, Equatable {
    package var reference: String
    package var runs: Int
    package var passed: Int
    package var flaky: Int
    /// Of the last 100 passing runs that ran (not cached).
    package var medianSeconds: Double?
    package var p95Seconds: Double?
    package var lastFailure: (at: Double, commit: String?)?

    package var passRate: Double { runs == 0 ? 0 : Double(passed) / Double(runs) }
    package var flakyRate: Double { runs == 0 ? 0 : Double(flaky) / Double(runs) }

    package static func == (left: StepTrend, right: StepTrend) -> Bool {
        left.reference == right.reference && left.runs == right.runs && left.passed == right.passed
            && left.flaky == right.flaky && left.medianSeconds == right.medianSeconds
    }
}

extension HistoryStore {
    /// Each task's usual duration: the median of its last `count` passing runs that ran (not served from the cache).
    package func usualDurations(last count: Int = 10) async throws -> [String: Duration] {
        let rows = try await recentPassingDurations(last: count, filter: " AND s.kind = 'task'", values: [])
        var recent: [String: [Double]] = [:]
        for row in rows {
            guard let reference = row[0], let seconds = row[1].flatMap(Double.init) else { continue }
            recent[reference, default: []].append(seconds)
        }
        return recent.compactMapValues { values in
            Self.percentile(values, 0.5).map { .nanoseconds(Int64($0 * 1e9)) }
        }
    }

    /// Runs, pass and flaky counts, median and p95 duration, and the last failure of each step (or of `references`).
    package func trends(of references: [String] = []) async throws -> [StepTrend] {
        let list = references.map { _ in "?" }.joined(separator: ", ")
        let filter = references.isEmpty ? "" : " AND s.reference IN (\(list))"
        let values = references.map(HistoryValue.text)
        let counts = try await database.rows(
            """
            SELECT reference, CAST(runs AS TEXT), CAST(passed AS TEXT), CAST(flaky AS TEXT) FROM step_totals
            \(references.isEmpty ? "" : "WHERE reference IN (\(list))") ORDER BY reference
            """,
            values
        )
        // Only the newest failure of each step, and the last 100 passing durations: the database sorts, not Swift.
        let failures = try await database.rows(
            """
            WITH recent AS MATERIALIZED (SELECT s.reference, s.started_at, s.run_id FROM steps s
            WHERE s.started_at >= \(Self.recentStart) AND s.result IN ('failed', 'error')\(filter))
            SELECT reference, CAST(started_at AS TEXT), commit_sha FROM (
            SELECT f.reference, f.started_at, r.commit_sha,
            ROW_NUMBER() OVER (PARTITION BY f.reference ORDER BY f.started_at DESC) AS position
            FROM recent f JOIN runs r ON r.id = f.run_id) AS newest
            WHERE position = 1
            """,
            values
        )
        let durations = try await recentPassingDurations(last: 100, filter: filter, values: values)
        var lastFailure: [String: (Double, String?)] = [:]
        for row in failures where lastFailure[row[0] ?? ""] == nil {
            if let reference = row[0], let at = row[1].flatMap(Double.init) { lastFailure[reference] = (at, row[2]) }
        }
        var seconds: [String: [Double]] = [:]
        for row in durations {
            if let reference = row[0], let value = row[1].flatMap(Double.init) {
                seconds[reference, default: []].append(value)
            }
        }
        return counts.compactMap { row in
            guard let reference = row[0], let runs = row[1].flatMap(Int.init) else { return nil }
            return StepTrend(
                reference: reference,
                runs: runs,
                passed: row[2].flatMap(Int.init) ?? 0,
                flaky: row[3].flatMap(Int.init) ?? 0,
                medianSeconds: Self.percentile(seconds[reference] ?? [], 0.5),
                p95Seconds: Self.percentile(seconds[reference] ?? [], 0.95),
                lastFailure: lastFailure[reference].map { (at: $0.0, commit: $0.1) }
            )
        }
    }

    /// Where the newest 1,000 runs start: durations and the last failure are read from their steps only (one range of
    /// the index on `steps.started_at`, materialized first: otherwise SQLite's planner walks every step in reference
    /// order for the window), so that a long history costs no more than a recent one.
    static let recentStart =
        "COALESCE((SELECT started_at FROM runs ORDER BY started_at DESC LIMIT 1 OFFSET 999), 0)"

    /// Each step's last `count` passing durations that ran (not cached) among the newest 1,000 runs, newest first.
    private func recentPassingDurations(
        last count: Int,
        filter: String,
        values: [HistoryValue]
    ) async throws -> [[String?]] {
        try await database.rows(
            """
            WITH recent AS MATERIALIZED (SELECT s.reference, s.duration_seconds, s.started_at FROM steps s
            WHERE s.started_at >= \(Self.recentStart) AND s.result = 'passed' AND s.cached = 0
            AND s.duration_seconds IS NOT NULL\(filter))
            SELECT reference, CAST(duration_seconds AS TEXT) FROM (
            SELECT reference, duration_seconds,
            ROW_NUMBER() OVER (PARTITION BY reference ORDER BY started_at DESC) AS position FROM recent) AS ranked
            WHERE position <= ?
            """,
            values + [.integer(Int64(count))]
        )
    }

    /// The value below which `fraction` of `values` lie (nearest rank); `nil` for none.
    static func percentile(_ values: [Double], _ fraction: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return sorted[max(0, min(sorted.count - 1, rank))]
    }
}
