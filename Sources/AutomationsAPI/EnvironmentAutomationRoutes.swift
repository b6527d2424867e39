import AutomationsModel
import GitpodAPI
import SwiftProtobuf

/// The 17 RPCs of `gitpod.v1.EnvironmentAutomationService`, each decoding its request, asking the host, and
/// encoding the answer in the request's codec.
public enum EnvironmentAutomationRoutes {
    public static let service = "gitpod.v1.EnvironmentAutomationService"

    /// A handler that decodes `Request`, runs `body` and encodes its `Response`; errors other than
    /// ``ConnectError`` become `internal`.
    static func handler<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ body: @escaping @Sendable (Request, [String: String]) async throws -> Response
    ) -> ConnectServer.Handler {
        { (call: ConnectCall) async throws(ConnectError) -> [UInt8] in
            let request: Request = try call.decode()
            let response: Response
            do {
                response = try await body(request, call.query)
            } catch let error as ConnectError {
                throw error
            } catch {
                throw ConnectError(.internal, "\(error)")
            }
            return try call.encode(response)
        }
    }

    /// A handler that changes something: the state is saved after it succeeded.
    static func saving<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ host: AutomationsHost,
        _ body: @escaping @Sendable (Request, [String: String]) async throws -> Response
    ) -> ConnectServer.Handler {
        handler { (request: Request, query: [String: String]) in
            let response = try await body(request, query)
            await host.save()
            return response
        }
    }

    /// The routes of a Connect server over `host`.
    public static func make(_ host: AutomationsHost) -> [String: ConnectServer.Handler] {
        let store = host.store
        var routes: [String: ConnectServer.Handler] = [:]
        routes["\(service)/CreateService"] = saving(host) { (request: Gitpod_V1_CreateServiceRequest, _) in
            var response = Gitpod_V1_CreateServiceResponse()
            response.service = try await host.service(try await store.createService(request).id)
            return response
        }
        routes["\(service)/GetService"] = handler { (request: Gitpod_V1_GetServiceRequest, _) in
            var response = Gitpod_V1_GetServiceResponse()
            response.service = try await host.service(request.id)
            return response
        }
        routes["\(service)/ListServices"] = handler { (request: Gitpod_V1_ListServicesRequest, query) in
            try await host.listServices(request, query: query)
        }
        routes["\(service)/UpdateService"] = saving(host) { (request: Gitpod_V1_UpdateServiceRequest, _) in
            try await host.updateService(request)
            return Gitpod_V1_UpdateServiceResponse()
        }
        routes["\(service)/DeleteService"] = saving(host) { (request: Gitpod_V1_DeleteServiceRequest, _) in
            try await host.deleteService(request.id, force: request.force)
            return Gitpod_V1_DeleteServiceResponse()
        }
        routes["\(service)/StartService"] = saving(host) { (request: Gitpod_V1_StartServiceRequest, _) in
            try await host.startService(request.id)
            return Gitpod_V1_StartServiceResponse()
        }
        routes["\(service)/StopService"] = saving(host) { (request: Gitpod_V1_StopServiceRequest, _) in
            try await host.stopService(request.id)
            return Gitpod_V1_StopServiceResponse()
        }
        routes["\(service)/UpsertAutomationsFile"] = saving(host) {
            (request: Gitpod_V1_UpsertAutomationsFileRequest, _) in
            try await host.applyFile(request)
        }
        routes["\(service)/CreateTask"] = saving(host) { (request: Gitpod_V1_CreateTaskRequest, _) in
            var response = Gitpod_V1_CreateTaskResponse()
            response.task = try await store.createTask(request)
            return response
        }
        routes["\(service)/GetTask"] = handler { (request: Gitpod_V1_GetTaskRequest, _) in
            var response = Gitpod_V1_GetTaskResponse()
            response.task = try await store.task(request.id)
            return response
        }
        routes["\(service)/ListTasks"] = handler { (request: Gitpod_V1_ListTasksRequest, query) in
            try await store.listTasks(request, query: query)
        }
        routes["\(service)/UpdateTask"] = saving(host) { (request: Gitpod_V1_UpdateTaskRequest, _) in
            try await store.updateTask(request)
            return Gitpod_V1_UpdateTaskResponse()
        }
        routes["\(service)/DeleteTask"] = saving(host) { (request: Gitpod_V1_DeleteTaskRequest, _) in
            try await store.removeTask(request.id)
            return Gitpod_V1_DeleteTaskResponse()
        }
        routes["\(service)/StartTask"] = saving(host) { (request: Gitpod_V1_StartTaskRequest, _) in
            var response = Gitpod_V1_StartTaskResponse()
            response.taskExecution = try await host.startTask(request.id)
            return response
        }
        routes["\(service)/ListTaskExecutions"] = handler { (request: Gitpod_V1_ListTaskExecutionsRequest, query) in
            try await host.listExecutions(request, query: query)
        }
        routes["\(service)/GetTaskExecution"] = handler { (request: Gitpod_V1_GetTaskExecutionRequest, _) in
            var response = Gitpod_V1_GetTaskExecutionResponse()
            response.taskExecution = try await host.execution(request.id)
            return response
        }
        routes["\(service)/StopTaskExecution"] = saving(host) { (request: Gitpod_V1_StopTaskExecutionRequest, _) in
            try await host.stopExecution(request.id)
            return Gitpod_V1_StopTaskExecutionResponse()
        }
        return routes
    }
}
