import AutomationsModel
package import Foundation

/// Why a file cannot be read as a JSON report.
package enum ReportReadError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String)
    /// Not JSON, or JSON that is no report of `automations run` (what was wrong, as the decoder says).
    case notAReport(path: String, reason: String)
    /// A report of another format version.
    case otherVersion(path: String, version: Int?)

    package var description: String {
        switch self {
        case .unreadable(let path): "cannot read '\(path)'"
        case .notAReport(let path, let reason): "'\(path)' is not a JSON report of `automations run` (\(reason))"
        case .otherVersion(let path, let version?):
            "'\(path)' is a JSON report of version \(version); this automations reads version \(RunReport.version)"
        case .otherVersion(let path, nil):
            "'\(path)' has no reportVersion: it was written by an older automations; run it again to get a version "
                + "\(RunReport.version) report"
        }
    }
}

/// The JSON report of a run (`--report-json`, `merge --report-json`), one versioned type in the public API's
/// vocabulary (phases such as `TASK_EXECUTION_PHASE_FAILED`, RFC 3339 times, 64-bit counters as strings). It is made
/// by ``JSONReport`` and ``ReportMerge``, written in a stable field order (``jsonValue``), and read back (``read(_:)``)
/// by the HTML report, merge, `--timings` and `--rerun-failed`.
package struct RunReport: Codable, Sendable, Equatable {
    /// The format's version; a report of another one is refused when read.
    package static let version = 1

    package var reportVersion = RunReport.version
    package var phase: String
    package var exitStatus: Int
    package var stopReason: String?
    package var startedAt: String?
    package var completedAt: String?
    package var file: String
    package var trigger: String?
    package var targets: [String]
    /// `K/N` for a shard's report.
    package var shard: String?
    /// The shards a merged report was made of.
    package var merged: [String]?
    /// The shards of the split whose reports a merge did without (`merge --allow-missing-shards`): it failed.
    package var missingShards: [String]? = nil
    /// When each merged shard ran. A merged report's own time is its longest shard's (they ran side by side).
    package var shardSpans: [ShardSpan]? = nil

    package struct ShardSpan: Codable, Sendable, Equatable {
        package var shard: String
        package var startedAt: String?
        package var completedAt: String?

        package var start: Date? { startedAt.flatMap(Timestamp.parse) }
        package var end: Date? { completedAt.flatMap(Timestamp.parse) }
        package var seconds: TimeInterval? {
            guard let start, let end else { return nil }
            return end.timeIntervalSince(start)
        }
    }
    package var plan: Plan?
    package var counts: Counts
    package var steps: [Step]
    package var services: [Service]
    package var ports: [Port]

    package struct Plan: Codable, Sendable, Equatable {
        package var groups: [Group]

        package struct Group: Codable, Sendable, Equatable {
            package var steps: [PlannedStep]
        }

        package struct PlannedStep: Codable, Sendable, Equatable {
            package var reference: String
            package var kind: String
            package var dependsOn: [String]
        }
    }

    /// What a JUnit consumer counts for the same run.
    package struct Counts: Codable, Sendable, Equatable {
        package var tests: Int
        package var failures: Int
        package var errors: Int
        package var skipped: Int
    }

    package struct Step: Codable, Sendable, Equatable {
        package var reference: String
        package var kind: String
        /// Counted from 1, as `plan` and the console show groups.
        package var group: Int
        package var dependsOn: [String]
        package var phase: String
        package var startedAt: String?
        package var completedAt: String?
        package var exitStatus: Int?
        package var failureMessage: String?
        package var skipReason: String?
        package var warning: Bool
        package var processesLeftRunning: Int
        package var attempts: Int
        package var innerTests: InnerTests?
        package var flaky: Bool
        package var failedAttempts: [FailedAttempt]
        /// `passed`, `failure`, `error` or `skipped`, as JUnit counts it.
        package var outcome: String
        package var outcomeType: String?
        package var outcomeMessage: String?
        package var logPath: String?
        /// The shards the step ran in (merged reports).
        package var shards: [String]?
        /// Served from the result cache instead of run.
        package var cache: Cache? = nil
        /// A failure that did not fail the run (the runner file's quarantine).
        package var quarantine: QuarantineEntry? = nil
        /// What the run history said of the step before the run.
        package var history: History? = nil

        package var isTask: Bool { kind == StepKind.task.rawValue }
        package var isService: Bool { kind == StepKind.service.rawValue }
    }

    /// A step's record in the run history: its usual duration, its p95, how often it was flaky.
    package struct History: Codable, Sendable, Equatable {
        package var runs: Int
        package var medianSeconds: String?
        package var p95Seconds: String?
        package var flakyRate: String
    }

    /// The quarantine entry that kept a failure from failing the run.
    package struct QuarantineEntry: Codable, Sendable, Equatable {
        package var owner: String
        package var until: String
        package var reason: String
    }

    /// A step served from the result cache: the run it reuses.
    package struct Cache: Codable, Sendable, Equatable {
        /// `hit`.
        package var status: String
        package var key: String
        /// When the reused run passed, and at which commit.
        package var storedAt: String?
        package var commit: String?
        /// How long the reused run took: the time saved.
        package var savedSeconds: String
        package var flaky: Bool
        /// `local` or `remote`.
        package var source: String
    }

    package struct InnerTests: Codable, Sendable, Equatable {
        package var tests: Int
        package var failures: Int
        package var errors: Int
        package var skipped: Int
        package var files: [String]
        package var warnings: [String]
    }

    package struct FailedAttempt: Codable, Sendable, Equatable {
        package var failureMessage: String
        package var startedAt: String?
        package var durationSeconds: String
    }

    package struct Service: Codable, Sendable, Equatable {
        package var reference: String
        package var phase: String
        package var readyAt: String?
        package var stoppingAt: String?
        package var endedAt: String?
        package var statusVersion: String
        package var failureMessage: String?
        package var logPath: String?
    }

    package struct Port: Codable, Sendable, Equatable {
        package var port: Int
        package var name: String?
        package var `protocol`: String?
        package var url: String
        package var step: String?
    }

    // MARK: - Reading

    /// The report in the file at `path`.
    package static func read(_ path: String) throws(ReportReadError) -> RunReport {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path) }
        return try decode(data, path: path)
    }

    /// The report in `data` (`path` names it in errors).
    package static func decode(_ data: Data, path: String) throws(ReportReadError) -> RunReport {
        struct Version: Decodable { var reportVersion: Int? }
        let version: Version
        do {
            version = try JSONDecoder().decode(Version.self, from: data)
        } catch {
            throw .notAReport(path: path, reason: "not a JSON object")
        }
        guard version.reportVersion == RunReport.version else {
            throw .otherVersion(path: path, version: version.reportVersion)
        }
        do {
            return try JSONDecoder().decode(RunReport.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw .notAReport(path: path, reason: "no \(Self.path(context.codingPath + [key]))")
        } catch let DecodingError.typeMismatch(_, context) {
            throw .notAReport(path: path, reason: "\(Self.path(context.codingPath)) has the wrong type")
        } catch let DecodingError.valueNotFound(_, context) {
            throw .notAReport(path: path, reason: "\(Self.path(context.codingPath)) is null")
        } catch {
            throw .notAReport(path: path, reason: "\(error)")
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
    }

    // MARK: - Times

    package var start: Date? { startedAt.flatMap(Timestamp.parse) }
    package var end: Date? { completedAt.flatMap(Timestamp.parse) }
}

extension RunReport.Step {
    package var start: Date? { startedAt.flatMap(Timestamp.parse) }
    package var end: Date? { completedAt.flatMap(Timestamp.parse) }
    /// How long it took, when it has both times.
    package var duration: Duration? {
        guard let start, let end else { return nil }
        return .nanoseconds(Int64(end.timeIntervalSince(start) * 1e9))
    }
    /// The JUnit outcome it was reported with.
    package var stepOutcome: StepOutcome {
        StepOutcome(name: outcome, type: outcomeType, message: outcomeMessage ?? failureMessage)
            ?? .skipped(message: "not run")
    }
}
