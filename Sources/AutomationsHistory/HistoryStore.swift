import Foundation

/// The history of runs: every run recorded at its end, in SQLite on one machine or PostgreSQL for a team, with one
/// schema whose migrations run themselves and the same queries on both.
package final class HistoryStore: Sendable {
    let database: any HistoryDatabase

    private init(database: any HistoryDatabase) {
        self.database = database
    }

    /// Opens the history at `location` (a file path, or `postgres://…`) and brings its schema up to date.
    package static func open(_ location: String) async throws -> HistoryStore {
        let database: any HistoryDatabase
        if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
            database = try await PostgresHistoryDatabase.connect(url: location)
        } else {
            database = try await SQLiteHistoryDatabase.open(path: location)
        }
        let store = HistoryStore(database: database)
        do {
            try await HistoryMigrations.apply(to: database)
        } catch {
            await database.close()
            throw error
        }
        return store
    }

    package func close() async {
        await database.close()
    }

    /// Records a run once (a run with the same id is already there: nothing happens); returns whether it was new.
    @discardableResult
    package func record(_ run: RecordedRun) async throws -> Bool {
        let database = self.database
        let known = try await database.rows("SELECT id FROM runs WHERE id = ?", [.text(run.id)])
        guard known.isEmpty else { return false }
        try await database.transaction {
            try await database.execute(
                "INSERT INTO runs (id, started_at, completed_at, commit_sha, branch, trigger_name, targets, shard, verdict, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    .text(run.id), .real(run.startedAt), .real(run.completedAt), Self.optional(run.commit),
                    Self.optional(run.branch), Self.optional(run.trigger), .text(run.targets.joined(separator: " ")),
                    Self.optional(run.shard), .text(run.verdict), .text(run.source),
                ]
            )
            for chunk in Self.chunks(run.steps, of: 100) {
                try await Self.insertSteps(chunk, run: run.id, startedAt: run.startedAt, into: database)
            }
            for chunk in Self.chunks(run.tests, of: 100) {
                try await Self.insertTests(chunk, run: run.id, into: database)
            }
            for chunk in Self.chunks(Self.totals(of: run.steps), of: 100) {
                try await Self.addTotals(chunk, into: database)
            }
        }
        return true
    }

    private static func insertSteps(
        _ steps: [RecordedRun.Step],
        run: String,
        startedAt: Double,
        into database: any HistoryDatabase
    ) async throws {
        let row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        var values: [HistoryValue] = []
        for step in steps {
            values += [
                .text(run), .text(step.reference), .text(step.kind), optional(step.key),
                step.durationSeconds.map(HistoryValue.real) ?? .null, .text(step.result),
                .integer(Int64(step.attempts)),
                .integer(step.flaky ? 1 : 0), .integer(step.cached ? 1 : 0), .real(startedAt),
            ]
        }
        try await database.execute(
            "INSERT INTO steps (run_id, reference, kind, cache_key, duration_seconds, result, attempts, flaky, cached, started_at) VALUES "
                + Array(repeating: row, count: steps.count).joined(separator: ", "),
            values
        )
    }

    private static func insertTests(
        _ tests: [RecordedRun.TestCase],
        run: String,
        into database: any HistoryDatabase
    ) async throws {
        let row = "(?, ?, ?, ?, ?, ?)"
        var values: [HistoryValue] = []
        for test in tests {
            values += [
                .text(run), .text(test.step), .text(test.suite), .text(test.name), .real(test.timeSeconds),
                .text(test.result),
            ]
        }
        try await database.execute(
            "INSERT INTO tests (run_id, step, suite, name, time_seconds, result) VALUES "
                + Array(repeating: row, count: tests.count).joined(separator: ", "),
            values
        )
    }

    /// Each step's runs, passes and flaky passes in one run (skipped steps do not count).
    private static func totals(of steps: [RecordedRun.Step]) -> [(String, Int, Int, Int)] {
        var totals: [String: (Int, Int, Int)] = [:]
        for step in steps where step.result != "skipped" {
            let current = totals[step.reference] ?? (0, 0, 0)
            totals[step.reference] = (
                current.0 + 1, current.1 + (step.result == "passed" ? 1 : 0), current.2 + (step.flaky ? 1 : 0)
            )
        }
        return totals.sorted { $0.key < $1.key }.map { ($0.key, $0.value.0, $0.value.1, $0.value.2) }
    }

    private static func addTotals(_ totals: [(String, Int, Int, Int)], into database: any HistoryDatabase) async throws
    {
        var values: [HistoryValue] = []
        for (reference, runs, passed, flaky) in totals {
            values += [.text(reference), .integer(Int64(runs)), .integer(Int64(passed)), .integer(Int64(flaky))]
        }
        try await database.execute(
            "INSERT INTO step_totals (reference, runs, passed, flaky) VALUES "
                + Array(repeating: "(?, ?, ?, ?)", count: totals.count).joined(separator: ", ")
                + " ON CONFLICT (reference) DO UPDATE SET runs = step_totals.runs + excluded.runs,"
                + " passed = step_totals.passed + excluded.passed, flaky = step_totals.flaky + excluded.flaky",
            values
        )
    }

    static func optional(_ text: String?) -> HistoryValue { text.map(HistoryValue.text) ?? .null }

    private static func chunks<T>(_ items: [T], of size: Int) -> [[T]] {
        stride(from: 0, to: items.count, by: size).map { Array(items[$0..<min($0 + size, items.count)]) }
    }
}

/// The schema, version by version; each migration runs once, in order, recorded in `schema_version`.
enum HistoryMigrations {
    static func version(of database: any HistoryDatabase) async throws -> Int {
        let rows = try await database.rows("SELECT CAST(MAX(version) AS TEXT) FROM schema_version", [])
        return rows.first?.first.flatMap { $0 }.flatMap { Int($0) } ?? 0
    }

    static let all: [[String]] = [
        [
            """
            CREATE TABLE runs (id TEXT PRIMARY KEY, started_at DOUBLE PRECISION NOT NULL, completed_at DOUBLE PRECISION NOT NULL,
            commit_sha TEXT, branch TEXT, trigger_name TEXT, targets TEXT NOT NULL, shard TEXT, verdict TEXT NOT NULL,
            source TEXT NOT NULL)
            """,
            """
            CREATE TABLE steps (run_id TEXT NOT NULL REFERENCES runs(id), reference TEXT NOT NULL, kind TEXT NOT NULL,
            cache_key TEXT, duration_seconds DOUBLE PRECISION, result TEXT NOT NULL, attempts INTEGER NOT NULL,
            flaky INTEGER NOT NULL, cached INTEGER NOT NULL)
            """,
            """
            CREATE TABLE tests (run_id TEXT NOT NULL REFERENCES runs(id), step TEXT NOT NULL, suite TEXT NOT NULL,
            name TEXT NOT NULL, time_seconds DOUBLE PRECISION NOT NULL, result TEXT NOT NULL)
            """,
            "CREATE INDEX steps_by_reference ON steps (reference, run_id)",
            "CREATE INDEX tests_by_name ON tests (step, suite, name)",
            "CREATE INDEX runs_by_start ON runs (started_at)",
        ],
        // The recent runs' steps are reached from the runs (trends and usual durations read the newest 1,000 runs).
        ["CREATE INDEX steps_by_run ON steps (run_id)", "CREATE INDEX tests_by_run ON tests (run_id)"],
        // Each step's totals, kept as runs are recorded: `history` reads one row per step, not every run.
        [
            """
            CREATE TABLE step_totals (reference TEXT PRIMARY KEY, runs INTEGER NOT NULL, passed INTEGER NOT NULL,
            flaky INTEGER NOT NULL)
            """,
            """
            INSERT INTO step_totals (reference, runs, passed, flaky) SELECT reference, COUNT(*),
            SUM(CASE WHEN result = 'passed' THEN 1 ELSE 0 END), SUM(flaky) FROM steps WHERE result <> 'skipped'
            GROUP BY reference
            """,
        ],
        // Each step carries its run's start: the newest runs' steps are one range of an index, with no join.
        [
            "ALTER TABLE steps ADD COLUMN started_at DOUBLE PRECISION",
            "UPDATE steps SET started_at = (SELECT r.started_at FROM runs r WHERE r.id = steps.run_id)",
            "CREATE INDEX steps_by_start ON steps (started_at)",
        ],
    ]

    static func apply(to database: any HistoryDatabase) async throws {
        try await database.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", [])
        for (index, statements) in all.enumerated() where try await version(of: database) <= index {
            try await database.transaction {
                // Another run may have migrated meanwhile: checked again inside the transaction.
                guard try await version(of: database) <= index else { return }
                for statement in statements { try await database.execute(statement, []) }
                try await database.execute(
                    "INSERT INTO schema_version (version) VALUES (?)",
                    [.integer(Int64(index + 1))]
                )
            }
        }
    }
}
