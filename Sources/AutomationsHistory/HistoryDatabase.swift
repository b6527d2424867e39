/// A value stored in or read from the history: what both SQLite and PostgreSQL hold the same way.
package enum HistoryValue: Sendable, Equatable {
    case text(String)
    case integer(Int64)
    case real(Double)
    case null
}

/// One database of the history, SQLite or PostgreSQL: statements with `?` placeholders, the same on both. Every
/// selected column is read as text (the queries cast what they select), so that both answer alike.
package protocol HistoryDatabase: Sendable {
    /// Runs statements that return no rows.
    func execute(_ sql: String, _ values: [HistoryValue]) async throws
    /// The rows of a query, each column as text (`nil` for NULL).
    func rows(_ sql: String, _ values: [HistoryValue]) async throws -> [[String?]]
    func close() async
    /// How a transaction begins (SQLite takes its write lock at once, so that two runs recording wait for each other).
    var beginTransaction: String { get }
}

extension HistoryDatabase {
    /// Runs `body` in one transaction, rolled back when it throws.
    func transaction(_ body: @Sendable () async throws -> Void) async throws {
        try await execute(beginTransaction, [])
        do {
            try await body()
            try await execute("COMMIT", [])
        } catch {
            try? await execute("ROLLBACK", [])
            throw error
        }
    }
}
