import AutomationsClient
import AutomationsModel
import Foundation
import GitpodAPI

/// `automations task start REF [--dont-wait]`, `task list`, `task logs REF`.
enum TaskCommands {
    static func run(_ words: ArraySlice<String>, arguments: ShimArguments, context: ShimContext) -> Int32 {
        var words = words
        let verb = words.popFirst()
        guard let client = context.requireClient() else { return 1 }
        do throws(ClientError) {
            switch verb {
            case "start", "run":
                guard let reference = words.first else {
                    throw ClientError.rpc(.invalidArgument, "name the task to start")
                }
                return try start(reference, wait: !arguments.flags.contains("dont-wait"), client: client)
            case "list", "ls":
                let all = try tasks(client: client)
                if arguments.wantsJSON {
                    ShimOutput.print(ShimOutput.json(all.map(ShimOutput.jsonObject)))
                } else {
                    ShimOutput.print(
                        ShimOutput.table(["REFERENCE", "NAME"], all.map { [$0.metadata.reference, $0.metadata.name] })
                    )
                }
            case "logs", "log":
                guard let reference = words.first else {
                    throw ClientError.rpc(.invalidArgument, "name the task whose log to print")
                }
                let task = try task(reference, client: client)
                var request = Gitpod_V1_ListTaskExecutionsRequest()
                request.filter.taskIds = [task.id]
                let list: Gitpod_V1_ListTaskExecutionsResponse = try client.call("ListTaskExecutions", request)
                guard let latest = list.taskExecutions.first else {
                    throw ClientError.rpc(.notFound, "task '\(reference)' has not run")
                }
                _ = try client.get("/logs/executions/\(latest.id)?follow=false") { ShimOutput.write($0) }
            default:
                return context.unsupported()
            }
        } catch {
            return context.failed(error)
        }
        return 0
    }

    /// Starts the task; unless `wait` is false, streams its output until it ends. Exit 0 when it succeeded.
    private static func start(_ reference: String, wait: Bool, client: APIClient) throws(ClientError) -> Int32 {
        var request = Gitpod_V1_StartTaskRequest()
        request.id = try task(reference, client: client).id
        let started: Gitpod_V1_StartTaskResponse = try client.call("StartTask", request)
        let id = started.taskExecution.id
        guard wait else {
            ShimOutput.print(id)
            return 0
        }
        _ = try client.get("/logs/executions/\(id)") { ShimOutput.write($0) }
        var get = Gitpod_V1_GetTaskExecutionRequest()
        get.id = id
        while true {
            let answer: Gitpod_V1_GetTaskExecutionResponse = try client.call("GetTaskExecution", get)
            switch answer.taskExecution.status.phase {
            case .succeeded: return 0
            case .failed, .stopped:
                let message = answer.taskExecution.status.failureMessage
                ShimOutput.error("task '\(reference)' \(message.isEmpty ? "did not succeed" : message)")
                return 1
            default: usleep(20_000)
            }
        }
    }

    private static func tasks(client: APIClient) throws(ClientError) -> [Gitpod_V1_Task] {
        var all: [Gitpod_V1_Task] = []
        var request = Gitpod_V1_ListTasksRequest()
        request.pagination.pageSize = 100
        repeat {
            let page: Gitpod_V1_ListTasksResponse = try client.call("ListTasks", request)
            all += page.tasks
            request.pagination.token = page.pagination.nextToken
        } while !request.pagination.token.isEmpty
        return all
    }

    private static func task(_ reference: String, client: APIClient) throws(ClientError) -> Gitpod_V1_Task {
        let all = try tasks(client: client)
        guard let task = all.first(where: { $0.metadata.reference == reference }) else {
            let hint = Suggestion.didYouMean(reference, in: all.map(\.metadata.reference))
            throw ClientError.rpc(.notFound, "no task '\(reference)'\(hint)")
        }
        return task
    }
}
