import AutomationsAPI
import AutomationsTestSupport
import Foundation
import GitpodAPI
import SwiftProtobuf
import Testing

/// The RPCs over real processes, called through the Connect core with JSON bodies, as the JSON SDK sends them.
@Suite(.timeLimit(.minutes(1)))
struct EnvironmentAutomationTests {
    let directory: String
    let host: AutomationsHost
    let server: ConnectServer

    init() throws {
        directory = try TestEnvironment.directory()
        host = AutomationsHost(
            store: AutomationStore(),
            workingDirectory: directory,
            environment: [
                "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": NSTemporaryDirectory(), "AUTOMATIONS_TEST_PROCESS": "1",
            ],
            logDirectory: directory + "/logs",
            serviceStopGrace: .seconds(5)
        )
        server = ConnectServer(routes: EnvironmentAutomationRoutes.make(host))
    }

    /// Calls `method` with a JSON body; returns the status and the decoded JSON.
    private func call(_ method: String, _ body: String, query: [String: String] = [:]) async -> (Int, [String: Any]) {
        let response = await server.handle(
            HTTPRequestParts(
                method: "POST",
                path: "/gitpod.v1.EnvironmentAutomationService/\(method)",
                query: query,
                headers: ["Content-Type": "application/json"],
                body: Array(body.utf8)
            )
        )
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]) ?? [:]
        return (response.status, object)
    }

    static let file = """
        {"automationsFile": {
          "services": {"svc": {"name": "Service", "commands": {"start": "echo up; touch up; exec sleep 60", "ready": "test -f up"}}},
          "tasks": {
            "build": {"name": "Build", "command": "echo building"},
            "test": {"name": "Test", "command": "echo testing", "dependsOn": ["build", "svc"]},
            "broken": {"name": "Broken", "command": "exit 3"},
            "slow": {"name": "Slow", "command": "sleep 30"}
          }
        }}
        """

    private func ids() async -> (services: [String: String], tasks: [String: String]) {
        let (_, services) = await call("ListServices", "{}")
        let (_, tasks) = await call("ListTasks", "{}")
        func byReference(_ items: Any?) -> [String: String] {
            var result: [String: String] = [:]
            for item in items as? [[String: Any]] ?? [] {
                let metadata = item["metadata"] as? [String: Any]
                if let reference = metadata?["reference"] as? String, let id = item["id"] as? String {
                    result[reference] = id
                }
            }
            return result
        }
        return (byReference(services["services"]), byReference(tasks["tasks"]))
    }

    /// The `spec.desiredPhase` of a service, as GetService answers it.
    private func desiredPhase(ofService id: String) async -> String? {
        let service = await call("GetService", #"{"id":"\#(id)"}"#).1["service"] as? [String: Any]
        return (service?["spec"] as? [String: Any])?["desiredPhase"] as? String
    }

    /// The `spec.desiredPhase` of a task execution, as GetTaskExecution answers it.
    private func desiredPhase(ofExecution id: String) async -> String? {
        let execution = await call("GetTaskExecution", #"{"id":"\#(id)"}"#).1["taskExecution"] as? [String: Any]
        return (execution?["spec"] as? [String: Any])?["desiredPhase"] as? String
    }

    /// Runs `body` while the host runs; then shuts the host down and waits until it has stopped everything.
    private func withRunningHost(_ body: () async throws -> Void) async throws {
        async let running: Void = host.run()
        do {
            try await body()
        } catch {
            host.shutdown()
            await running
            throw error
        }
        host.shutdown()
        await running
    }

    @Test func servicesAndTasksRunForReal() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withRunningHost {
            let (status, upserted) = await call("UpsertAutomationsFile", Self.file)
            #expect(status == 200)
            #expect((upserted["updatedTaskIds"] as? [String])?.count == 4)
            let (services, tasks) = await ids()
            let serviceID = try #require(services["svc"])

            #expect(await call("StartService", #"{"id":"\#(serviceID)"}"#).0 == 200)
            #expect(
                await TestEnvironment.eventually(within: .seconds(30)) {
                    let service = await call("GetService", #"{"id":"\#(serviceID)"}"#).1["service"] as? [String: Any]
                    return (service?["status"] as? [String: Any])?["phase"] as? String == "SERVICE_PHASE_RUNNING"
                }
            )
            #expect(await desiredPhase(ofService: serviceID) == "SERVICE_PHASE_RUNNING")

            let (started, execution) = await call("StartTask", #"{"id":"\#(tasks["test"]!)"}"#)
            #expect(started == 200)
            let executionID = try #require((execution["taskExecution"] as? [String: Any])?["id"] as? String)
            let plan =
                ((execution["taskExecution"] as? [String: Any])?["spec"] as? [String: Any])?["plan"] as? [[String: Any]]
            let labels = plan?.map { (($0["steps"] as? [[String: Any]]) ?? []).compactMap { $0["label"] as? String } }
            #expect(labels == [["build", "svc"], ["test"]])
            #expect(
                await TestEnvironment.eventually(within: .seconds(30)) {
                    let found =
                        await call("GetTaskExecution", #"{"id":"\#(executionID)"}"#).1["taskExecution"]
                        as? [String: Any]
                    return (found?["status"] as? [String: Any])?["phase"] as? String == "TASK_EXECUTION_PHASE_SUCCEEDED"
                }
            )

            let failing =
                await call("StartTask", #"{"id":"\#(tasks["broken"]!)"}"#).1["taskExecution"] as? [String: Any]
            let failingID = try #require(failing?["id"] as? String)
            var failure = ""
            #expect(
                await TestEnvironment.eventually(within: .seconds(30)) {
                    let found =
                        await call("GetTaskExecution", #"{"id":"\#(failingID)"}"#).1["taskExecution"] as? [String: Any]
                    let status = found?["status"] as? [String: Any]
                    failure = status?["failureMessage"] as? String ?? ""
                    return status?["phase"] as? String == "TASK_EXECUTION_PHASE_FAILED"
                }
            )
            #expect(failure == "command exited with status 3")

            let slow = await call("StartTask", #"{"id":"\#(tasks["slow"]!)"}"#).1["taskExecution"] as? [String: Any]
            let slowID = try #require(slow?["id"] as? String)
            try await Task.sleep(for: .milliseconds(200))
            #expect(await call("StopTaskExecution", #"{"id":"\#(slowID)"}"#).0 == 200)
            #expect(
                await TestEnvironment.eventually(within: .seconds(30)) {
                    let found =
                        await call("GetTaskExecution", #"{"id":"\#(slowID)"}"#).1["taskExecution"] as? [String: Any]
                    return (found?["status"] as? [String: Any])?["phase"] as? String == "TASK_EXECUTION_PHASE_STOPPED"
                }
            )
            #expect(await desiredPhase(ofExecution: slowID) == "TASK_EXECUTION_PHASE_STOPPED")

            let listed = await call("ListTaskExecutions", #"{"filter":{"taskIds":["\#(tasks["test"]!)"]}}"#).1
            #expect((listed["taskExecutions"] as? [[String: Any]])?.count == 1)

            #expect(await call("StopService", #"{"id":"\#(serviceID)"}"#).0 == 200)
            #expect(
                await TestEnvironment.eventually(within: .seconds(30)) {
                    let service = await call("GetService", #"{"id":"\#(serviceID)"}"#).1["service"] as? [String: Any]
                    return (service?["status"] as? [String: Any])?["phase"] as? String == "SERVICE_PHASE_STOPPED"
                }
            )
            #expect(await desiredPhase(ofService: serviceID) == "SERVICE_PHASE_STOPPED")
        }
    }

    @Test func stoppingAnExecutionEndsItsWaitForASharedService() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withRunningHost {
            let file = """
                {"automationsFile": {
                  "services": {"never": {"name": "Never ready", "commands": {"start": "exec sleep 60", "ready": "exit 1"}}},
                  "tasks": {"uses": {"name": "Uses", "command": "echo never runs", "dependsOn": ["never"]}}
                }}
                """
            #expect(await call("UpsertAutomationsFile", file).0 == 200)
            let (services, tasks) = await ids()
            let execution =
                await call("StartTask", #"{"id":"\#(tasks["uses"]!)"}"#).1["taskExecution"] as? [String: Any]
            let executionID = try #require(execution?["id"] as? String)
            try await Task.sleep(for: .milliseconds(300))
            #expect(await call("StopTaskExecution", #"{"id":"\#(executionID)"}"#).0 == 200)
            #expect(
                await TestEnvironment.eventually(within: .seconds(30)) {
                    let found =
                        await call("GetTaskExecution", #"{"id":"\#(executionID)"}"#).1["taskExecution"]
                        as? [String: Any]
                    return (found?["status"] as? [String: Any])?["phase"] as? String == "TASK_EXECUTION_PHASE_STOPPED"
                }
            )
            // The service belongs to the environment: still starting, not stopped by the execution.
            let service = await call("GetService", #"{"id":"\#(services["never"]!)"}"#).1["service"] as? [String: Any]
            #expect((service?["status"] as? [String: Any])?["phase"] as? String == "SERVICE_PHASE_STARTING")
        }
    }

    @Test func shutdownStopsEveryExecutionAndServiceAndRefusesNewOnes() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = """
            {"automationsFile": {
              "services": {"svc": {"name": "S", "commands": {"start": "echo $$ > svc.pid; exec sleep 60"}}},
              "tasks": {"slow": {"name": "Slow", "command": "echo $$ > slow.pid; exec sleep 60"}}
            }}
            """
        #expect(await call("UpsertAutomationsFile", file).0 == 200)
        let (services, tasks) = await ids()
        async let running: Void = host.run()
        #expect(await call("StartService", #"{"id":"\#(services["svc"]!)"}"#).0 == 200)
        let started = await call("StartTask", #"{"id":"\#(tasks["slow"]!)"}"#).1["taskExecution"] as? [String: Any]
        let executionID = try #require(started?["id"] as? String)
        let pidFiles = ["svc.pid", "slow.pid"].map { directory + "/" + $0 }
        #expect(
            await TestEnvironment.eventually { pidFiles.allSatisfy { FileManager.default.fileExists(atPath: $0) } }
        )
        let pids = pidFiles.compactMap { path in
            (try? String(contentsOfFile: path, encoding: .utf8)).flatMap {
                Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
        #expect(pids.count == 2)

        host.shutdown()
        await running

        for pid in pids { #expect(TestEnvironment.processIsGone(pid)) }
        let execution =
            await call("GetTaskExecution", #"{"id":"\#(executionID)"}"#).1["taskExecution"] as? [String: Any]
        #expect((execution?["status"] as? [String: Any])?["phase"] as? String == "TASK_EXECUTION_PHASE_STOPPED")
        let service = await call("GetService", #"{"id":"\#(services["svc"]!)"}"#).1["service"] as? [String: Any]
        #expect((service?["status"] as? [String: Any])?["phase"] as? String == "SERVICE_PHASE_STOPPED")
        let refused = await call("StartTask", #"{"id":"\#(tasks["slow"]!)"}"#)
        #expect(refused.0 == 503)
        #expect(refused.1["code"] as? String == "unavailable")
    }

    @Test func listsPageAndErrorsAreTyped() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for index in 0..<60 {
            let body = #"{"metadata":{"reference":"t\#(index)","name":"T"},"spec":{"command":"true"}}"#
            #expect(await call("CreateTask", body).0 == 200)
        }
        var seen: [String] = []
        var token = ""
        var pages = 0
        repeat {
            var query = ["pageSize": "25"]
            if !token.isEmpty { query["token"] = token }
            let page = await call("ListTasks", "{}", query: query).1
            seen += (page["tasks"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            token = (page["pagination"] as? [String: Any])?["nextToken"] as? String ?? ""
            pages += 1
        } while !token.isEmpty && pages < 10
        #expect(pages == 3)
        #expect(Set(seen).count == 60)
        let missing = await call("GetTask", #"{"id":"\#(UUID().uuidString.lowercased())"}"#)
        #expect(missing.0 == 404)
        #expect(missing.1["code"] as? String == "not_found")
        let invalid = await call("GetService", #"{"id":"not-a-uuid"}"#)
        #expect(invalid.0 == 400)
        #expect(invalid.1["code"] as? String == "invalid_argument")
        let duplicate = await call(
            "CreateTask",
            #"{"metadata":{"reference":"t1","name":"T"},"spec":{"command":"true"}}"#
        )
        #expect(duplicate.1["code"] as? String == "already_exists")
        let tooMany = await call("ListTasks", #"{"pagination":{"pageSize":500}}"#)
        #expect(tooMany.1["code"] as? String == "invalid_argument")
    }
}
