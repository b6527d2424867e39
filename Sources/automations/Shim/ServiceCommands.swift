import AutomationsClient
import AutomationsModel
import Foundation
import GitpodAPI
import SwiftProtobuf

/// `automations service start|stop|restart|status|logs|list [REF...]` against the run or server's services.
enum ServiceCommands {
    static func run(_ words: ArraySlice<String>, arguments: ShimArguments, context: ShimContext) -> Int32 {
        var words = words
        let verb = words.popFirst()
        guard let client = context.requireClient() else { return 1 }
        let references = Array(words)
        do throws(ClientError) {
            switch verb {
            case "start":
                for service in try services(references, client: client, context: context, required: true) {
                    try start(service, client: client)
                }
            case "stop":
                for service in try services(references, client: client, context: context, required: true) {
                    try stop(service, client: client)
                }
            case "restart":
                let found = try services(references, client: client, context: context, required: true)
                for service in found { try stop(service, client: client) }
                for service in found {
                    try waitUntilStopped(service, client: client)
                    try start(service, client: client)
                }
            case "status", "list", "ls":
                let found = try services(references, client: client, context: context, required: false)
                if arguments.wantsJSON {
                    ShimOutput.print(ShimOutput.json(found.map(ShimOutput.jsonObject)))
                } else {
                    let rows = found.map { service in
                        [
                            service.metadata.reference, ServicePhase(service.status.phase).shortName,
                            service.status.failureMessage,
                        ]
                    }
                    ShimOutput.print(ShimOutput.table(["REFERENCE", "PHASE", "FAILURE"], rows))
                }
            case "logs", "log":
                let found = try services(references, client: client, context: context, required: true)
                let follow = arguments.flags.contains("follow") || arguments.flags.contains("f")
                for service in found {
                    let status = try client.get("/logs/services/\(service.id)?follow=\(follow)") {
                        ShimOutput.write($0)
                    }
                    guard status == 200 else { throw ClientError.rpc(code: nil, status: status, message: "no log") }
                }
            default:
                return context.unsupported()
            }
        } catch {
            return context.failed(error)
        }
        return 0
    }

    /// The services with these references (all of them when none is given and `required` is false).
    static func services(
        _ references: [String],
        client: APIClient,
        context: ShimContext,
        required: Bool
    ) throws(ClientError) -> [Gitpod_V1_Service] {
        if required && references.isEmpty {
            throw ClientError.rpc(.invalidArgument, "name at least one service")
        }
        var all: [Gitpod_V1_Service] = []
        var request = Gitpod_V1_ListServicesRequest()
        request.pagination.pageSize = 100
        repeat {
            let page: Gitpod_V1_ListServicesResponse = try client.call("ListServices", request)
            all += page.services
            request.pagination.token = page.pagination.nextToken
        } while !request.pagination.token.isEmpty
        if references.isEmpty { return all }
        let known = all.map(\.metadata.reference)
        return try references.map { reference throws(ClientError) in
            guard let service = all.first(where: { $0.metadata.reference == reference }) else {
                let hint = Suggestion.didYouMean(reference, in: known)
                throw ClientError.rpc(.notFound, "no service '\(reference)'\(hint)")
            }
            return service
        }
    }

    private static func start(_ service: Gitpod_V1_Service, client: APIClient) throws(ClientError) {
        var request = Gitpod_V1_StartServiceRequest()
        request.id = service.id
        let _: Gitpod_V1_StartServiceResponse = try client.call("StartService", request)
    }

    private static func stop(_ service: Gitpod_V1_Service, client: APIClient) throws(ClientError) {
        var request = Gitpod_V1_StopServiceRequest()
        request.id = service.id
        let _: Gitpod_V1_StopServiceResponse = try client.call("StopService", request)
    }

    /// Waits until the service has stopped (its stop command and grace period may take a while).
    private static func waitUntilStopped(_ service: Gitpod_V1_Service, client: APIClient) throws(ClientError) {
        var request = Gitpod_V1_GetServiceRequest()
        request.id = service.id
        while true {
            let answer: Gitpod_V1_GetServiceResponse = try client.call("GetService", request)
            switch answer.service.status.phase {
            case .starting, .running, .stopping: usleep(20_000)
            default: return
            }
        }
    }
}
