import AutomationsAPI
package import AutomationsClient
import AutomationsModel
package import GitpodAPI

/// How a task execution ended, as the server says.
package struct ExecutionEnd: Sendable, Equatable {
    package var succeeded: Bool
    /// Why it did not succeed (empty when the server gives no reason).
    package var failureMessage: String
}

/// The task calls behind `automations task …` and `gitpod automations task …`.
extension APIClient {
    package func tasks() throws(ClientError) -> [Gitpod_V1_Task] {
        var all: [Gitpod_V1_Task] = []
        var request = Gitpod_V1_ListTasksRequest()
        request.pagination.pageSize = 100
        repeat {
            let page: Gitpod_V1_ListTasksResponse = try call("ListTasks", request)
            all += page.tasks
            request.pagination.token = page.pagination.nextToken
        } while !request.pagination.token.isEmpty
        return all
    }

    package func task(_ reference: String) throws(ClientError) -> Gitpod_V1_Task {
        let all = try tasks()
        guard let task = all.first(where: { $0.metadata.reference == reference }) else {
            let hint = Suggestion.didYouMean(reference, in: all.map(\.metadata.reference))
            throw ClientError.rpc(.notFound, "no task '\(reference)'\(hint)")
        }
        return task
    }

    /// Starts the task; its execution id.
    package func startTask(_ reference: String) throws(ClientError) -> String {
        var request = Gitpod_V1_StartTaskRequest()
        request.id = try task(reference).id
        let started: Gitpod_V1_StartTaskResponse = try call("StartTask", request)
        return started.taskExecution.id
    }

    /// Hands the execution's log to `onBody` until the execution ends, then awaits the server's record of its end.
    package func follow(execution id: String, onBody: ([UInt8]) -> Void) throws(ClientError) -> ExecutionEnd {
        _ = try get("/logs/executions/\(id)", onBody: onBody)
        var request = Gitpod_V1_GetTaskExecutionRequest()
        request.id = id
        let answer: Gitpod_V1_GetTaskExecutionResponse = try call(
            "WaitForTaskExecution",
            request,
            service: WaitRoutes.service
        )
        let status = answer.taskExecution.status
        return ExecutionEnd(succeeded: status.phase == .succeeded, failureMessage: status.failureMessage)
    }

    /// Hands the log of the task's latest execution to `onBody`, as it is now.
    package func latestLog(ofTask reference: String, onBody: ([UInt8]) -> Void) throws(ClientError) {
        var request = Gitpod_V1_ListTaskExecutionsRequest()
        request.filter.taskIds = [try task(reference).id]
        let list: Gitpod_V1_ListTaskExecutionsResponse = try call("ListTaskExecutions", request)
        guard let latest = list.taskExecutions.first else {
            throw ClientError.rpc(.notFound, "task '\(reference)' has not run")
        }
        _ = try get("/logs/executions/\(latest.id)?follow=false", onBody: onBody)
    }
}
