import Foundation
import Logging
import PostgresNIO

/// The history in a PostgreSQL database, for a team and a CI fleet (`--history postgres://USER[:PASSWORD]@HOST[:PORT]/DB`
/// or `postgres:///DB?host=/socket/folder`).
final class PostgresHistoryDatabase: HistoryDatabase {
    private let connection: PostgresConnection
    private let logger = Logger(label: "history")
    let beginTransaction = "BEGIN"

    private init(connection: PostgresConnection) {
        self.connection = connection
    }

    static func connect(url: String) async throws -> PostgresHistoryDatabase {
        let configuration = try configuration(url)
        let connection = try await PostgresConnection.connect(
            configuration: configuration,
            id: 1,
            logger: Logger(label: "history")
        )
        return PostgresHistoryDatabase(connection: connection)
    }

    /// `postgres://user:password@host:port/database`, or a Unix socket folder as `?host=/path`.
    static func configuration(_ url: String) throws -> PostgresConnection.Configuration {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? "")
        else { throw HistoryError.badLocation(url) }
        let user = components.user ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        let database = components.path.isEmpty ? nil : String(components.path.dropFirst())
        let socketFolder = components.queryItems?.first { $0.name == "host" }?.value
        if let socketFolder, socketFolder.hasPrefix("/") {
            let port = components.port ?? 5432
            return .init(
                unixSocketPath: "\(socketFolder)/.s.PGSQL.\(port)",
                username: user,
                password: components.password,
                database: database
            )
        }
        var configuration = PostgresConnection.Configuration(
            host: components.host ?? "localhost",
            port: components.port ?? 5432,
            username: user,
            password: components.password,
            database: database,
            tls: .disable
        )
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    func execute(_ sql: String, _ values: [HistoryValue]) async throws {
        try await connection.query(Self.query(sql, values), logger: logger)
    }

    func rows(_ sql: String, _ values: [HistoryValue]) async throws -> [[String?]] {
        var rows: [[String?]] = []
        for try await row in try await connection.query(Self.query(sql, values), logger: logger) {
            rows.append(try row.map { cell in try cell.decode(String?.self) })
        }
        return rows
    }

    func close() async {
        try? await connection.close()
    }

    /// `?` placeholders become `$1`, `$2`, … (none of the history's statements has a `?` inside a string).
    private static func query(_ sql: String, _ values: [HistoryValue]) -> PostgresQuery {
        var text = ""
        var number = 0
        for character in sql {
            if character == "?" {
                number += 1
                text += "$\(number)"
            } else {
                text.append(character)
            }
        }
        var binds = PostgresBindings()
        for value in values {
            switch value {
            case .text(let string): binds.append(string)
            case .integer(let integer): binds.append(integer)
            case .real(let double): binds.append(double)
            case .null: binds.appendNull()
            }
        }
        return PostgresQuery(unsafeSQL: text, binds: binds)
    }
}

/// Why the history cannot be used (a warning: a run never fails for it).
package enum HistoryError: Error, CustomStringConvertible {
    case badLocation(String)

    package var description: String {
        switch self {
        case .badLocation(let text): "'\(text)' is not a history location (a file path, or postgres://…)"
        }
    }
}

extension HistoryStore {
    /// What went wrong, for a warning: the server's own message for PostgreSQL (its errors describe themselves
    /// generically on purpose), the error itself otherwise.
    package static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            return "\(error.code)"
        }
        return "\(error)"
    }
}
