import AutomationsClient
import GitpodAPI

/// The environment id of a running `serve`, read from what its API lists (every service and task carries it).
enum ServerEnvironment {
    static func id(of client: APIClient) -> String? {
        var tasks = Gitpod_V1_ListTasksRequest()
        tasks.pagination.pageSize = 1
        if let page: Gitpod_V1_ListTasksResponse = try? client.call("ListTasks", tasks),
            let id = page.tasks.first?.environmentID, !id.isEmpty
        {
            return id
        }
        var services = Gitpod_V1_ListServicesRequest()
        services.pagination.pageSize = 1
        let page: Gitpod_V1_ListServicesResponse? = try? client.call("ListServices", services)
        return page?.services.first.map(\.environmentID).flatMap { $0.isEmpty ? nil : $0 }
    }
}
