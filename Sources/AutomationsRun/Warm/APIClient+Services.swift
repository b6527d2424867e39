import AutomationsAPI
package import AutomationsClient
package import AutomationsModel
package import GitpodAPI

/// The service calls behind `automations service …` and `gitpod automations service …`.
extension APIClient {
    /// The services with these references (all of them when none is given and `required` is false).
    package func services(_ references: [String], required: Bool) throws(ClientError) -> [Gitpod_V1_Service] {
        if required && references.isEmpty {
            throw ClientError.rpc(.invalidArgument, "name at least one service")
        }
        var all: [Gitpod_V1_Service] = []
        var request = Gitpod_V1_ListServicesRequest()
        request.pagination.pageSize = 100
        repeat {
            let page: Gitpod_V1_ListServicesResponse = try call("ListServices", request)
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

    package func start(_ service: Gitpod_V1_Service) throws(ClientError) {
        var request = Gitpod_V1_StartServiceRequest()
        request.id = service.id
        let _: Gitpod_V1_StartServiceResponse = try call("StartService", request)
    }

    package func stop(_ service: Gitpod_V1_Service) throws(ClientError) {
        var request = Gitpod_V1_StopServiceRequest()
        request.id = service.id
        let _: Gitpod_V1_StopServiceResponse = try call("StopService", request)
    }

    /// Stops the services, awaits each one's end (its stop command and grace period may take a while), and starts
    /// them again.
    package func restart(_ services: [Gitpod_V1_Service]) throws(ClientError) {
        for service in services { try stop(service) }
        for service in services {
            var request = Gitpod_V1_GetServiceRequest()
            request.id = service.id
            let _: Gitpod_V1_GetServiceResponse = try call(
                "WaitForServiceStopped",
                request,
                service: WaitRoutes.service
            )
            try start(service)
        }
    }

    /// Hands the service's log to `onBody` as it comes; with `follow`, until the service ends.
    package func log(of service: Gitpod_V1_Service, follow: Bool, onBody: ([UInt8]) -> Void) throws(ClientError) {
        let status = try get("/logs/services/\(service.id)?follow=\(follow)", onBody: onBody)
        guard status == 200 else { throw ClientError.rpc(code: nil, status: status, message: "no log") }
    }

    /// Applies an automations file (`automations update`).
    package func apply(_ file: AutomationsFile) throws(ClientError) {
        var request = Gitpod_V1_UpsertAutomationsFileRequest()
        request.automationsFile = Gitpod_V1_AutomationsFile(file)
        let _: Gitpod_V1_UpsertAutomationsFileResponse = try call("UpsertAutomationsFile", request)
    }
}
