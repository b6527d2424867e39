import AutomationsHistory
import AutomationsModel
import AutomationsRuntime
import AutomationsTestSupport
import Foundation
import Testing

/// The same history on a real PostgreSQL server, started by the test as its own user (it refuses root) on a private
/// Unix socket, and stopped by it.
@Suite(.timeLimit(.minutes(2)))
struct PostgresHistoryTests {
    static let binaries = ["/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin"]
        .first { FileManager.default.isExecutableFile(atPath: $0 + "/postgres") }

    @Test func recordsOnceAndAnswersTrendsAndDurations() async throws {
        let bin = try #require(Self.binaries, "PostgreSQL is not installed (scripts/setup installs it)")
        let folder = try TestEnvironment.directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let owner = try await BinaryShell.run("chown postgres \(folder) && chmod 700 \(folder)")
        #expect(owner == 0)
        let initdb = try await BinaryShell.run(
            "runuser -u postgres -- \(bin)/initdb -A trust -U postgres -D \(folder)/data >/dev/null"
        )
        #expect(initdb == 0)
        let spec = TestEnvironment.spec(
            "exec runuser -u postgres -- \(bin)/postgres -D \(folder)/data -k \(folder) -c listen_addresses= -c fsync=off",
            in: folder
        )
        let server = try ProcessRuntime.start(spec, output: DiscardingOutputSink())
        var ready = false
        for _ in 0..<100 where !ready {
            ready = try await BinaryShell.run("\(bin)/pg_isready -q -h \(folder)") == 0
            if !ready { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(ready, "PostgreSQL did not get ready")
        do {
            try await HistoryStoreChecks.checkAll("postgres://postgres@/postgres?host=\(folder)")
        } catch {
            Issue.record("\(String(reflecting: error))")
        }
        _ = await server.stop(grace: .seconds(10))
    }

    @Test func aServerThatIsNotThereIsAnErrorQuickly() async throws {
        await #expect(throws: (any Error).self) {
            _ = try await HistoryStore.open("postgres://nobody@127.0.0.1:9/history")
        }
    }
}

/// A shell command's exit status.
enum BinaryShell {
    static func run(_ command: String) async throws -> Int32 {
        try await ProcessRuntime.start(TestEnvironment.spec(command), output: DiscardingOutputSink()).wait().termination
            .shellStatus
    }
}
