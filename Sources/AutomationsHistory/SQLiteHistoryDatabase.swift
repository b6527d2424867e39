import Foundation
import Logging
import SQLiteNIO
import Synchronization

/// The history in an SQLite file (`.automations/history.sqlite` by default).
final class SQLiteHistoryDatabase: HistoryDatabase {
    private let connection: SQLiteConnection
    let beginTransaction = "BEGIN IMMEDIATE"

    private init(connection: SQLiteConnection) {
        self.connection = connection
    }

    static func open(path: String) async throws -> SQLiteHistoryDatabase {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: Logger(label: "history"))
        let database = SQLiteHistoryDatabase(connection: connection)
        do {
            // Two runs may record at once: wait for the other's write instead of failing.
            try await database.execute("PRAGMA busy_timeout = 5000", [])
            try await database.execute("PRAGMA journal_mode = WAL", [])
        } catch {
            await database.close()
            throw error
        }
        return database
    }

    func execute(_ sql: String, _ values: [HistoryValue]) async throws {
        try await connection.query(sql, values.map(Self.data)) { _ in }
    }

    func rows(_ sql: String, _ values: [HistoryValue]) async throws -> [[String?]] {
        let collected = Mutex<[[String?]]>([])
        try await connection.query(sql, values.map(Self.data)) { row in
            let cells = row.columns.map { column -> String? in
                if case .null = column.data { return nil }
                return column.data.string
            }
            collected.withLock { $0.append(cells) }
        }
        return collected.withLock { $0 }
    }

    func close() async {
        try? await connection.close()
    }

    private static func data(_ value: HistoryValue) -> SQLiteData {
        switch value {
        case .text(let text): .text(text)
        case .integer(let number): .integer(Int(number))
        case .real(let number): .float(number)
        case .null: .null
        }
    }
}
