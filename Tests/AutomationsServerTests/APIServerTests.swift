import AutomationsAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AutomationsServer

/// The HTTP side of `serve`, driven through Hummingbird's router test client: the Connect routes with their
/// status codes and content types, the token, the body limit, and the log URLs.
@Suite(.timeLimit(.minutes(1)))
struct APIServerTests {
    let directory: String
    let host: AutomationsHost

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("server-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        host = AutomationsHost(
            store: AutomationStore(),
            workingDirectory: directory,
            environment: ["PATH": "/usr/bin:/bin", "AUTOMATIONS_TEST_PROCESS": "1"],
            logDirectory: directory + "/logs",
            serviceStopGrace: .seconds(5)
        )
    }

    private func server(token: String? = nil) -> APIServer {
        APIServer(host: host, address: "127.0.0.1", port: 0, token: token)
    }

    private static let procedure = "/gitpod.v1.EnvironmentAutomationService/"
    private static let json: HTTPFields = [.contentType: "application/json"]

    private static func object(_ buffer: ByteBuffer) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(String(buffer: buffer).utf8)) as? [String: Any]) ?? [:]
    }

    @Test func anRPCAnswersInTheRequestsEncoding() async throws {
        let file = #"{"automationsFile":{"tasks":{"build":{"name":"Build","command":"echo hi"}}}}"#
        try await server().application().test(.router) { client in
            try await client.execute(
                uri: Self.procedure + "UpsertAutomationsFile",
                method: .post,
                headers: Self.json,
                body: ByteBuffer(string: file)
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                #expect((Self.object(response.body)["updatedTaskIds"] as? [String])?.count == 1)
            }
            try await client.execute(
                uri: Self.procedure + "ListTasks",
                method: .post,
                headers: Self.json,
                body: ByteBuffer(string: "{}")
            ) { response in
                let tasks = Self.object(response.body)["tasks"] as? [[String: Any]]
                #expect((tasks?.first?["metadata"] as? [String: Any])?["reference"] as? String == "build")
            }
        }
    }

    @Test func anInvalidFileIsRefusedWithTheLoadersWords() async throws {
        let file =
            #"{"automationsFile":{"tasks":{"test":{"name":"T","command":"true","dependsOn":["biuld"]},"build":{"name":"B","command":"true"}}}}"#
        try await server().application().test(.router) { client in
            try await client.execute(
                uri: Self.procedure + "UpsertAutomationsFile",
                method: .post,
                headers: Self.json,
                body: ByteBuffer(string: file)
            ) { response in
                #expect(response.status == .badRequest)
                let error = Self.object(response.body)
                #expect(error["code"] as? String == "invalid_argument")
                #expect(
                    error["message"] as? String
                        == "automationsFile: task 'test' depends on unknown task or service 'biuld' (did you mean 'build'?)"
                )
            }
        }
    }

    @Test func aTokenIsRequiredWhenSet() async throws {
        try await server(token: "secret").application().test(.router) { client in
            try await client.execute(
                uri: Self.procedure + "ListServices",
                method: .post,
                headers: Self.json,
                body: ByteBuffer(string: "{}")
            ) { response in
                #expect(response.status == .unauthorized)
                #expect(Self.object(response.body)["code"] as? String == "unauthenticated")
            }
            var headers = Self.json
            headers[.authorization] = "Bearer secret"
            try await client.execute(
                uri: Self.procedure + "ListServices",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: "{}")
            ) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func anOversizedBodyIsAConnectError() async throws {
        let body = ByteBuffer(repeating: UInt8(ascii: " "), count: ConnectServer.bodyLimit + 1)
        try await server().application().test(.router) { client in
            try await client.execute(
                uri: Self.procedure + "ListServices",
                method: .post,
                headers: Self.json,
                body: body
            ) { response in
                #expect(response.status == .tooManyRequests)
                #expect(Self.object(response.body)["code"] as? String == "resource_exhausted")
            }
        }
    }

    @Test func logURLsOfUnknownIDsAreNotFound() async throws {
        try await server().application().test(.router) { client in
            try await client.execute(uri: "/logs/services/00000000-0000-0000-0000-000000000000", method: .get) {
                response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body) == "no such log\n")
            }
            try await client.execute(uri: "/logs/other/x", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func theLogOfAFinishedExecutionIsServedWhole() async throws {
        let file = #"{"automationsFile":{"tasks":{"hello":{"name":"Hello","command":"echo hello from the task"}}}}"#
        try await server().application().test(.router) { client in
            var taskID = ""
            try await client.execute(
                uri: Self.procedure + "UpsertAutomationsFile",
                method: .post,
                headers: Self.json,
                body: ByteBuffer(string: file)
            ) { response in
                taskID = (Self.object(response.body)["updatedTaskIds"] as? [String])?.first ?? ""
            }
            var executionID = ""
            try await client.execute(
                uri: Self.procedure + "StartTask",
                method: .post,
                headers: Self.json,
                body: ByteBuffer(string: #"{"id":"\#(taskID)"}"#)
            ) { response in
                let execution = Self.object(response.body)["taskExecution"] as? [String: Any]
                executionID = execution?["id"] as? String ?? ""
            }
            #expect(!executionID.isEmpty)
            try await client.execute(uri: "/logs/executions/\(executionID)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/plain; charset=utf-8")
                #expect(String(buffer: response.body).contains("hello from the task"))
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
