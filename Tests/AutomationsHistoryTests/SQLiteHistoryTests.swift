import AutomationsHistory
import AutomationsTestSupport
import Foundation
import Testing

struct SQLiteHistoryTests {
    @Test func recordsOnceAndAnswersTrendsAndDurations() async throws {
        let folder = try TestEnvironment.directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await HistoryStoreChecks.checkAll(folder + "/nested/history.sqlite")
    }

    @Test func aFileThatIsNoDatabaseIsAnError() async throws {
        let folder = try TestEnvironment.directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "not a database".write(toFile: folder + "/history.sqlite", atomically: false, encoding: .utf8)
        await #expect(throws: (any Error).self) { _ = try await HistoryStore.open(folder + "/history.sqlite") }
    }
}
