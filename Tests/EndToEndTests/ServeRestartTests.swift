import AutomationsModel
import AutomationsRuntime
import AutomationsTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `automations serve` killed with SIGKILL in the middle of an execution, then started again on its state folder.
@Suite(.timeLimit(.minutes(2)))
struct ServeRestartTests {
    static let file = """
        services:
          db:
            name: DB
            triggeredBy: [postEnvironmentStart]
            commands: {start: "echo $$ > db.pid; exec sleep 600"}
        tasks:
          slow: {name: Slow, command: "echo $$ > slow.pid; exec sleep 600"}
        """

    /// A running `serve` and the URL it printed.
    struct Server {
        let running: RunningCommand
        let output: CollectingSink
        let url: String

        static func start(in project: Project) async throws -> Server {
            let (running, output, _) = try BinaryRunner.start(
                ["serve", "--port", "0", "--state-dir", "state"],
                in: project.root
            )
            var url = ""
            _ = await TestEnvironment.eventually(within: .seconds(20)) {
                let first = output.stdoutText.split(separator: "\n").first ?? ""
                guard first.hasPrefix("listening on ") else { return false }
                url = String(first.dropFirst("listening on ".count))
                return true
            }
            #expect(!url.isEmpty, "serve printed: \(output.stdoutText) \(output.stderrText)")
            return Server(running: running, output: output, url: url)
        }

        /// Calls an RPC with a JSON body (through python3's urllib); the decoded answer.
        func call(_ method: String, _ body: String) async throws -> [String: Any] {
            let script = """
                import sys, urllib.request
                request = urllib.request.Request(sys.argv[1], data=sys.argv[2].encode(), \
                headers={"Content-Type": "application/json"})
                print(urllib.request.urlopen(request).read().decode())
                """
            let endpoint = "\(url)/gitpod.v1.EnvironmentAutomationService/\(method)"
            let result = try await BinaryRunner.runProgram(
                "python3 -c \(BinaryRunner.quote(script)) \(BinaryRunner.quote(endpoint)) \(BinaryRunner.quote(body))"
            )
            #expect(result.status == 0, "\(method): \(result.stderr)")
            return (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
        }
    }

    private static func isGone(_ pid: Int32) -> Bool {
        ProcessEventLoop.shared.reapAdoptedChildren()
        return TestEnvironment.processIsGone(pid)
    }

    @Test func aKilledServerLeavesNothingAndItsRunningExecutionReadsFailedAfterARestart() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        let first = try await Server.start(in: project)
        let tasks = try await first.call("ListTasks", "{}")["tasks"] as? [[String: Any]]
        let taskID = try #require(tasks?.first?["id"] as? String)
        let started = try await first.call("StartTask", #"{"id":"\#(taskID)"}"#)["taskExecution"] as? [String: Any]
        let executionID = try #require(started?["id"] as? String)
        #expect(await TestEnvironment.eventually { project.pid("db.pid") != nil && project.pid("slow.pid") != nil })
        let oldDB = try #require(project.pid("db.pid"))
        // The service prints nothing: its log URL still answers with its status and headers at once.
        let services = try await first.call("ListServices", "{}")["services"] as? [[String: Any]]
        let logURL = try #require((services?.first?["status"] as? [String: Any])?["logUrl"] as? String)
        let headers = try await BinaryRunner.runProgram(
            "python3 -c \(BinaryRunner.quote("import sys, urllib.request; r = urllib.request.urlopen(sys.argv[1], timeout=5); print(r.status, r.headers['Content-Type'])")) \(BinaryRunner.quote(logURL))"
        )
        #expect(headers.stdout == "200 text/plain; charset=utf-8\n", "\(headers.stderr)")
        let slow = try #require(project.pid("slow.pid"))
        try FileManager.default.removeItem(atPath: project.path("db.pid"))

        kill(first.running.processGroup, SIGKILL)
        _ = await first.running.wait()
        // The watchdog takes the server's processes with it. (When the tests' process is a subreaper, the orphans
        // became its children: their zombies are reaped here.)
        #expect(await TestEnvironment.eventually { Self.isGone(oldDB) })
        #expect(await TestEnvironment.eventually { Self.isGone(slow) })

        let second = try await Server.start(in: project)
        let execution =
            try await second.call("GetTaskExecution", #"{"id":"\#(executionID)"}"#)["taskExecution"] as? [String: Any]
        let status = execution?["status"] as? [String: Any]
        #expect(status?["phase"] as? String == "TASK_EXECUTION_PHASE_FAILED")
        #expect(status?["failureMessage"] as? String == "server stopped")
        // Its trigger starts the service again, as an environment start would.
        #expect(await TestEnvironment.eventually { project.pid("db.pid") != nil })
        let newDB = try #require(project.pid("db.pid"))
        #expect(newDB != oldDB)

        second.running.signalGroup(SIGTERM)
        let ended = await second.running.wait()
        #expect(ended.termination == .exited(0))
        #expect(await TestEnvironment.eventually { Self.isGone(newDB) })
    }
}
