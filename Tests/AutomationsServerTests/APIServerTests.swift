import AutomationsAPI
import AutomationsTestSupport
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
        directory = try TestEnvironment.directory()
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

    /// Posts a body to an RPC of the service.
    private static func post(
        _ client: some TestClientProtocol,
        _ method: String,
        _ body: ByteBuffer,
        headers: HTTPFields = json
    ) async throws -> TestResponse {
        try await client.execute(uri: procedure + method, method: .post, headers: headers, body: body)
    }

    /// Posts a JSON text to an RPC of the service; the response's status and JSON object.
    private static func post(
        _ client: some TestClientProtocol,
        _ method: String,
        _ text: String,
        headers: HTTPFields = json
    ) async throws -> (status: HTTPResponse.Status, object: [String: Any]) {
        let response = try await post(client, method, ByteBuffer(string: text), headers: headers)
        return (response.status, object(response.body))
    }

    private static func object(_ buffer: ByteBuffer) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(String(buffer: buffer).utf8)) as? [String: Any]) ?? [:]
    }

    @Test func anRPCAnswersInTheRequestsEncoding() async throws {
        let file = #"{"automationsFile":{"tasks":{"build":{"name":"Build","command":"echo hi"}}}}"#
        try await server().application().test(.router) { client in
            let upsert = try await Self.post(client, "UpsertAutomationsFile", ByteBuffer(string: file))
            #expect(upsert.status == .ok)
            #expect(upsert.headers[.contentType] == "application/json")
            #expect((Self.object(upsert.body)["updatedTaskIds"] as? [String])?.count == 1)
            let tasks = try await Self.post(client, "ListTasks", "{}").object["tasks"] as? [[String: Any]]
            #expect((tasks?.first?["metadata"] as? [String: Any])?["reference"] as? String == "build")
        }
    }

    @Test func anInvalidFileIsRefusedWithTheLoadersWords() async throws {
        let file =
            #"{"automationsFile":{"tasks":{"test":{"name":"T","command":"true","dependsOn":["biuld"]},"build":{"name":"B","command":"true"}}}}"#
        try await server().application().test(.router) { client in
            let (status, error) = try await Self.post(client, "UpsertAutomationsFile", file)
            #expect(status == .badRequest)
            #expect(error["code"] as? String == "invalid_argument")
            #expect(
                error["message"] as? String
                    == "automationsFile: task 'test' depends on unknown task or service 'biuld' (did you mean 'build'?)"
            )
        }
    }

    @Test func aTokenIsRequiredWhenSet() async throws {
        try await server(token: "secret").application().test(.router) { client in
            let refused = try await Self.post(client, "ListServices", "{}")
            #expect(refused.status == .unauthorized)
            #expect(refused.object["code"] as? String == "unauthenticated")
            var headers = Self.json
            headers[.authorization] = "Bearer secret"
            #expect(try await Self.post(client, "ListServices", "{}", headers: headers).status == .ok)
        }
    }

    @Test func anOversizedBodyIsAConnectError() async throws {
        let body = ByteBuffer(repeating: UInt8(ascii: " "), count: ConnectServer.bodyLimit + 1)
        try await server().application().test(.router) { client in
            let response = try await Self.post(client, "ListServices", body)
            #expect(response.status == .tooManyRequests)
            #expect(Self.object(response.body)["code"] as? String == "resource_exhausted")
        }
    }

    @Test func logURLsOfUnknownIDsAreNotFound() async throws {
        try await server().application().test(.router) { client in
            let unknown = try await client.execute(
                uri: "/logs/services/00000000-0000-0000-0000-000000000000",
                method: .get
            )
            #expect(unknown.status == .notFound)
            #expect(String(buffer: unknown.body) == "no such log\n")
            #expect(try await client.execute(uri: "/logs/other/x", method: .get).status == .notFound)
        }
    }

    @Test func theLogOfAFinishedExecutionIsServedWhole() async throws {
        let file = #"{"automationsFile":{"tasks":{"hello":{"name":"Hello","command":"echo hello from the task"}}}}"#
        // Executions run as children of the host's own task group: the host runs beside the router.
        async let hostRuns: Void = host.run()
        try await server().application().test(.router) { client in
            let upsert = try await Self.post(client, "UpsertAutomationsFile", file).object
            let taskID = (upsert["updatedTaskIds"] as? [String])?.first ?? ""
            let started = try await Self.post(client, "StartTask", #"{"id":"\#(taskID)"}"#).object
            let executionID = (started["taskExecution"] as? [String: Any])?["id"] as? String ?? ""
            #expect(!executionID.isEmpty)
            let log = try await client.execute(uri: "/logs/executions/\(executionID)", method: .get)
            #expect(log.status == .ok)
            #expect(log.headers[.contentType] == "text/plain; charset=utf-8")
            #expect(String(buffer: log.body).contains("hello from the task"))
        }
        host.shutdown()
        await hostRuns
        try? FileManager.default.removeItem(atPath: directory)
    }
}
