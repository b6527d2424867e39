public import AutomationsModel
import AutomationsRuntime
import Foundation
public import GitpodAPI
import SwiftProtobuf

extension AutomationsHost {
    /// Starts the task with everything it depends on, as one execution with one plan.
    public func startTask(_ id: String) async throws(ConnectError) -> Gitpod_V1_TaskExecution {
        let task = try await store.task(id)
        let (file, idOf) = await store.planningFile()
        let plan: ExecutionPlan
        do {
            plan = try Planner.plan(file, selecting: TargetSelection(references: [task.metadata.reference]))
        } catch {
            throw ConnectError(.failedPrecondition, error.description)
        }
        guard !isShuttingDown else { throw ConnectError(.unavailable, "the server is shutting down") }
        let execution = Gitpod_V1_TaskExecution(
            id: AutomationStore.newID(),
            taskID: id,
            environmentID: store.environmentID,
            plan: plan,
            idOf: idOf,
            tasks: await store.tasks
        )
        let tracker = ExecutionTracker(writer: logs, path: logs.path(execution: execution.id))
        executionsStarted += 1
        let number = executionsStarted
        var options = runtime.executionOptions
        options.sharedService = { [weak self] reference in await self?.supervisor(forReference: reference) }
        options.ownsSharedServices = false
        options.sweepsAtEnd = false
        let observer: any RuntimeObserver =
            runtime.executionObserver.map { ObserverFanOut([tracker, $0(number)]) } ?? tracker
        let executor = PlanExecutor(file: file, plan: plan, options: options, observer: observer)
        executions.add(execution, live: ExecutionRecords.Live(executor: executor, tracker: tracker, idOf: idOf))
        let executionID = execution.id
        perform { [weak self] in
            let report = await executor.run()
            let left = await executor.processesLeftRunning
            await self?.finished(executionID, number: number, report: report, idOf: idOf, processesLeftRunning: left)
        }
        return await withLiveStatus(execution)
    }

    private func finished(
        _ id: String,
        number: Int,
        report: ExecutionReport,
        idOf: [String: String],
        processesLeftRunning: [RunningCommand]
    ) async {
        // As in a Gitpod environment, what a task left running lives on until the server stops.
        leftRunning += processesLeftRunning
        finishedReports[number] = report
        guard var execution = executions[id] else { return }
        execution.status.phase = Gitpod_V1_TaskExecutionPhase(report.phase)
        execution.status.statusVersion += 1
        execution.status.steps = report.steps.map { Gitpod_V1_TaskExecutionStatus.Step($0, idOf: idOf) }
        if let failure = report.steps.first(where: { $0.phase == .failed })?.failureMessage {
            execution.status.failureMessage = failure
        }
        execution.metadata.completedAt = Google_Protobuf_Timestamp(date: report.completedAt)
        executions.finish(execution)
        executionEnded.resume(with: id)
        await save()
    }

    /// The reports of the executions that have finished, by their number (1-based, in the order they started).
    public func executionReports() -> [(number: Int, report: ExecutionReport)] {
        finishedReports.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// The execution with its steps' phases as they are now.
    func withLiveStatus(_ execution: Gitpod_V1_TaskExecution) async -> Gitpod_V1_TaskExecution {
        var execution = execution
        if !baseURL.isEmpty { execution.status.logURL = "\(baseURL)/logs/executions/\(execution.id)" }
        guard let live = executions.live(execution.id) else { return execution }
        let reports = live.tracker.reports
        execution.status.steps = execution.steps(from: reports, idOf: live.idOf)
        execution.status.statusVersion += UInt64(reports.count)
        return execution
    }

    public func execution(_ id: String) async throws(ConnectError) -> Gitpod_V1_TaskExecution {
        try Validation.uuid(id, field: "id")
        guard let execution = executions[id] else { throw ConnectError(.notFound, "task execution \(id) not found") }
        return await withLiveStatus(execution)
    }

    public func listExecutions(
        _ request: Gitpod_V1_ListTaskExecutionsRequest,
        query: [String: String]
    )
        async throws(ConnectError) -> Gitpod_V1_ListTaskExecutionsResponse
    {
        let filter = request.filter
        try Validation.filter(filter.taskIds, field: "filter.taskIds")
        try Validation.filter(filter.taskReferences, field: "filter.taskReferences")
        try Validation.filter(filter.environmentIds, field: "filter.environmentIds")
        try Validation.filter(filter.phases, field: "filter.phases")
        let tasks = await store.tasks
        var matching: [Gitpod_V1_TaskExecution] = []
        for stored in executions.newestFirst {
            let execution = await withLiveStatus(stored)
            let reference = tasks[execution.metadata.taskID]?.metadata.reference ?? ""
            let keep =
                (filter.taskIds.isEmpty || filter.taskIds.contains(execution.metadata.taskID))
                && (filter.taskReferences.isEmpty || filter.taskReferences.contains(reference))
                && (filter.environmentIds.isEmpty || filter.environmentIds.contains(execution.metadata.environmentID))
                && (filter.phases.isEmpty || filter.phases.contains(execution.status.phase))
            if keep { matching.append(execution) }
        }
        let (token, size) = try AutomationStore.paging(request.pagination, query: query)
        let page = try Page(matching, token: token, size: size)
        var response = Gitpod_V1_ListTaskExecutionsResponse()
        response.taskExecutions = page.items
        response.pagination.nextToken = page.nextToken
        return response
    }

    /// Asks the execution to stop; its end is recorded when its steps have stopped.
    public func stopExecution(_ id: String) async throws(ConnectError) {
        _ = try await execution(id)
        executions.setDesiredPhase(of: id, .stopped)
        guard let executor = executions.live(id)?.executor else { return }
        perform { await executor.stop(.requested) }
    }
}
