import AutomationsHistory
package import AutomationsModel
import AutomationsReports
package import Foundation

/// A step's record across runs, as `automations history` shows it.
package struct StepRecord: Sendable {
    package var reference: String
    package var runs: Int
    package var passRate: Double
    package var flakyRate: Double
    package var medianSeconds: Double?
    package var p95Seconds: Double?
    package var lastFailureAt: Date?
    package var lastFailureCommit: String?
}

/// `automations history`: the trends, as a table or JSON.
package enum HistoryQueries {
    package static func trends(at location: String, of references: [String]) async throws -> [StepRecord] {
        let store = try await HistoryStore.open(location)
        let trends: [StepTrend]
        do {
            trends = try await store.trends(of: references)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
        return trends.map { trend in
            StepRecord(
                reference: trend.reference,
                runs: trend.runs,
                passRate: trend.passRate,
                flakyRate: trend.flakyRate,
                medianSeconds: trend.medianSeconds,
                p95Seconds: trend.p95Seconds,
                lastFailureAt: trend.lastFailure.map { Date(timeIntervalSince1970: $0.at) },
                lastFailureCommit: trend.lastFailure?.commit
            )
        }
    }

    /// `automations history flaky`: what failed and passed with the same inputs, as a table or JSON.
    package static func flaky(at location: String, json: Bool) async throws -> String {
        let store = try await HistoryStore.open(location)
        let records: [FlakyRecord]
        do {
            records = try await store.flaky()
        } catch {
            await store.close()
            throw error
        }
        await store.close()
        let dates = ISO8601DateFormatter()
        if json {
            return JSONValue.array(
                records.map { record in
                    .object([
                        ("name", .string(record.name)), ("runs", .int(Int64(record.runs))),
                        ("flakyRuns", .int(Int64(record.flakyRuns))),
                        ("rate", .string(String(format: "%.3f", record.rate))),
                        ("lastAt", .string(dates.string(from: Date(timeIntervalSince1970: record.lastAt)))),
                        ("lastCommit", .optional(record.lastCommit)),
                    ])
                }
            ).serialized(pretty: true) + "\n"
        }
        guard !records.isEmpty else { return "nothing flaky recorded\n" }
        var table = TextTable(header: ["STEP OR TEST", "RUNS", "FLAKY", "RATE", "LAST"])
        for record in records {
            table.rows.append([
                record.name, "\(record.runs)", "\(record.flakyRuns)", percent(record.rate),
                dates.string(from: Date(timeIntervalSince1970: record.lastAt))
                    + (record.lastCommit.map { " at \($0)" } ?? ""),
            ])
        }
        return table.render()
    }

    /// A history error as people read it.
    package static func describe(_ error: any Error) -> String { HistoryStore.describe(error) }

    package static func table(_ records: [StepRecord]) -> String {
        guard !records.isEmpty else { return "no run recorded yet\n" }
        var table = TextTable(header: ["STEP", "RUNS", "PASS", "FLAKY", "MEDIAN", "P95", "LAST FAILURE"])
        let dates = ISO8601DateFormatter()
        for record in records {
            table.rows.append([
                record.reference, "\(record.runs)", percent(record.passRate), percent(record.flakyRate),
                record.medianSeconds.map(human) ?? "-", record.p95Seconds.map(human) ?? "-",
                record.lastFailureAt.map {
                    dates.string(from: $0) + (record.lastFailureCommit.map { " at \($0)" } ?? "")
                }
                    ?? "-",
            ])
        }
        return table.render()
    }

    package static func json(_ records: [StepRecord]) -> JSONValue {
        let dates = ISO8601DateFormatter()
        return .array(
            records.map { record in
                .object([
                    ("reference", .string(record.reference)), ("runs", .int(Int64(record.runs))),
                    ("passRate", .string(String(format: "%.3f", record.passRate))),
                    ("flakyRate", .string(String(format: "%.3f", record.flakyRate))),
                    ("medianSeconds", .optional(record.medianSeconds.map { String(format: "%.3f", $0) })),
                    ("p95Seconds", .optional(record.p95Seconds.map { String(format: "%.3f", $0) })),
                    ("lastFailureAt", .optional(record.lastFailureAt.map { dates.string(from: $0) })),
                    ("lastFailureCommit", .optional(record.lastFailureCommit)),
                ])
            }
        )
    }

    private static func percent(_ rate: Double) -> String { String(format: "%.0f%%", rate * 100) }

    private static func human(_ seconds: Double) -> String { DurationText.human(.nanoseconds(Int64(seconds * 1e9))) }
}
