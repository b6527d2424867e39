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

    private static func isGone(_ pid: Int32) -> Bool {
        ProcessEventLoop.shared.reapAdoptedChildren()
        return TestEnvironment.processIsGone(pid)
    }

    @Test func aKilledServerLeavesNothingAndItsRunningExecutionReadsFailedAfterARestart() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        let first = try await ServeProcess.start(in: project)
        let tasks = try await first.call("ListTasks", "{}")["tasks"] as? [[String: Any]]
        let taskID = try #require(tasks?.first?["id"] as? String)
        let started = try await first.call("StartTask", #"{"id":"\#(taskID)"}"#)["taskExecution"] as? [String: Any]
        let executionID = try #require(started?["id"] as? String)
        #expect(await TestEnvironment.eventually { project.pid("db.pid") != nil && project.pid("slow.pid") != nil })
        let oldDB = try #require(project.pid("db.pid"))
        // The service prints nothing: its log URL still answers with its status and headers at once.
        let services = try await first.call("ListServices", "{}")["services"] as? [[String: Any]]
        let logURL = try #require((services?.first?["status"] as? [String: Any])?["logUrl"] as? String)
        let token = try #require(first.token)
        let headers = try await BinaryRunner.runProgram(
            "python3 -c \(BinaryRunner.quote("import sys, urllib.request; r = urllib.request.urlopen(urllib.request.Request(sys.argv[1], headers={'Authorization': 'Bearer ' + sys.argv[2]}), timeout=5); print(r.status, r.headers['Content-Type'])")) \(BinaryRunner.quote(logURL)) \(token)"
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

        let second = try await ServeProcess.start(in: project)
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
