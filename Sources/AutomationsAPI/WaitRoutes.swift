import GitpodAPI
import SwiftProtobuf

/// `automations.v1.WaitService`: answers once something has happened, so that a client awaits it instead of asking
/// again and again. Not part of Gitpod's public API; the messages are the public ones.
/// `WaitForServiceSettled {id}` (RUNNING, STOPPED or FAILED) and `WaitForServiceStopped {id}` answer as
/// `GetService`; `WaitForTaskExecution {id}` answers as `GetTaskExecution` once the execution has ended.
public enum WaitRoutes {
    public static let service = "automations.v1.WaitService"

    public static func make(_ host: AutomationsHost) -> [String: ConnectServer.Handler] {
        var routes: [String: ConnectServer.Handler] = [:]
        routes["\(service)/WaitForServiceSettled"] = serviceWait(host, untilStopped: false)
        routes["\(service)/WaitForServiceStopped"] = serviceWait(host, untilStopped: true)
        routes["\(service)/WaitForTaskExecution"] = handler {
            (request: Gitpod_V1_GetTaskExecutionRequest) async throws(ConnectError) in
            var answer = Gitpod_V1_GetTaskExecutionResponse()
            answer.taskExecution = try await host.waitForExecution(request.id)
            return answer
        }
        return routes
    }

    private static func serviceWait(_ host: AutomationsHost, untilStopped: Bool) -> ConnectServer.Handler {
        handler { (request: Gitpod_V1_GetServiceRequest) async throws(ConnectError) in
            var answer = Gitpod_V1_GetServiceResponse()
            answer.service = try await host.waitForService(request.id, untilStopped: untilStopped)
            return answer
        }
    }

    private static func handler<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ body: @escaping @Sendable (Request) async throws(ConnectError) -> Response
    ) -> ConnectServer.Handler {
        { (call: ConnectCall) async throws(ConnectError) -> [UInt8] in
            let request: Request = try call.decode()
            return try call.encode(try await body(request))
        }
    }
}
