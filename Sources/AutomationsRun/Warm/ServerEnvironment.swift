import AutomationsClient
import GitpodAPI

/// The environment id of a running `serve`, read from what its API lists (every service and task carries it).
enum ServerEnvironment {
    static func id(of client: APIClient) async -> String? {
        var tasks = Gitpod_V1_ListTasksRequest()
        tasks.pagination.pageSize = 1
        if let page: Gitpod_V1_ListTasksResponse = try? await client.callAsync("ListTasks", tasks),
            let id = page.tasks.first?.environmentID, !id.isEmpty
        {
            return id
        }
        var services = Gitpod_V1_ListServicesRequest()
        services.pagination.pageSize = 1
        let page: Gitpod_V1_ListServicesResponse? = try? await client.callAsync("ListServices", services)
        return page?.services.first.map(\.environmentID).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The services `serve` runs now (their references): a warm check's service step keeps them, starting nothing.
    static func runningServices(of client: APIClient) async -> Set<String> {
        var request = Gitpod_V1_ListServicesRequest()
        request.pagination.pageSize = 100
        var running: Set<String> = []
        repeat {
            guard let page: Gitpod_V1_ListServicesResponse = try? await client.callAsync("ListServices", request)
            else { break }
            for service in page.services where service.status.phase == .running {
                running.insert(service.metadata.reference)
            }
            request.pagination.token = page.pagination.nextToken
        } while !request.pagination.token.isEmpty
        return running
    }
}
