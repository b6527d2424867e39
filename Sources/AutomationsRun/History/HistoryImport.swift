import AutomationsCache
import AutomationsHistory
import AutomationsReports
import Foundation

/// `automations history import FILE…`: reports made elsewhere (our JSON reports, JUnit XML from any tool) recorded
/// in the history; a file already imported (the same content) is recorded once.
package enum HistoryImport {
    /// For each file: `imported`, `already recorded`, or why it cannot be (`error` set).
    package struct Result: Sendable {
        package var path: String
        package var message: String
        package var failed: Bool
    }

    package static func run(_ paths: [String], location: String) async throws -> [Result] {
        let store = try await HistoryStore.open(location)
        var results: [Result] = []
        for path in paths {
            results.append(await importOne(path, into: store))
        }
        await store.close()
        return results
    }

    private static func importOne(_ path: String, into store: HistoryStore) async -> Result {
        guard let digest = ContentDigest(ofFile: path) else {
            return Result(path: path, message: "cannot be read", failed: true)
        }
        let run: RecordedRun
        do {
            run = try recorded(path, id: "import-" + digest.hash)
        } catch {
            let message = "\(error)"
            let shown = message.hasPrefix(path + ": ") ? String(message.dropFirst(path.count + 2)) : message
            return Result(path: path, message: shown, failed: true)
        }
        do {
            let new = try await store.record(run)
            let what =
                "\(run.steps.count) step\(run.steps.count == 1 ? "" : "s"), \(run.tests.count) test\(run.tests.count == 1 ? "" : "s")"
            return Result(path: path, message: new ? "imported (\(what))" : "already recorded", failed: false)
        } catch {
            return Result(path: path, message: HistoryStore.describe(error), failed: true)
        }
    }

    /// A JSON report of ours (it starts with `{`), else JUnit XML.
    static func recorded(_ path: String, id: String) throws -> RecordedRun {
        let head = FileHandle(forReadingAtPath: path).map { handle in
            defer { try? handle.close() }
            return handle.readData(ofLength: 64)
        }
        let firstByte = head?.first { !" \n\r\t".utf8.contains($0) }
        if firstByte == UInt8(ascii: "{") { return try fromReport(try RunReport.read(path), id: id) }
        return try fromJUnit(path, id: id)
    }

    private static func fromReport(_ report: RunReport, id: String) throws -> RecordedRun {
        let steps = report.steps.map { step in
            RecordedRun.Step(
                reference: step.reference,
                kind: step.kind,
                key: step.cache?.key,
                durationSeconds: step.cache == nil ? zip(step.start, step.end).map { $1.timeIntervalSince($0) } : 0,
                result: step.outcome == "failure" ? "failed" : step.outcome,
                attempts: step.attempts,
                flaky: step.flaky,
                cached: step.cache != nil
            )
        }
        let started = report.start?.timeIntervalSince1970 ?? 0
        return RecordedRun(
            id: id,
            startedAt: started,
            completedAt: report.end?.timeIntervalSince1970 ?? started,
            commit: nil,
            branch: nil,
            trigger: report.trigger,
            targets: report.targets,
            shard: report.shard,
            verdict: report.phase.replacingOccurrences(of: "TASK_EXECUTION_PHASE_", with: "").lowercased(),
            source: "import",
            steps: steps,
            tests: []
        )
    }

    private static func fromJUnit(_ path: String, id: String) throws -> RecordedRun {
        let cases = try JUnitImport.read(path: path)
        let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date()
        let name = (path as NSString).lastPathComponent
        return RecordedRun(
            id: id,
            startedAt: modified.timeIntervalSince1970,
            completedAt: modified.timeIntervalSince1970,
            commit: nil,
            branch: nil,
            trigger: nil,
            targets: [],
            shard: nil,
            verdict: cases.contains { $0.result == "failed" || $0.result == "error" } ? "failed" : "succeeded",
            source: "import",
            steps: [],
            tests: cases.map {
                .init(step: name, suite: $0.suite, name: $0.name, timeSeconds: $0.seconds, result: $0.result)
            }
        )
    }
}

private func zip(_ first: Date?, _ second: Date?) -> (Date, Date)? {
    guard let first, let second else { return nil }
    return (first, second)
}
