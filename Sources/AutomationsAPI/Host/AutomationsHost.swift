public import AutomationsModel
import AutomationsRuntime
import Foundation
public import GitpodAPI
import SwiftProtobuf

/// The environment behind the API: the store of definitions, plus real processes — a supervisor per started
/// service and a plan executor per task execution, through the same runtime `automations run` uses.
public actor AutomationsHost {
    public let store: AutomationStore
    private let workingDirectory: String
    private let environment: [String: String]
    private let logs: ServerLogWriter
    private let serviceStopGrace: Duration
    /// `http://HOST:PORT`, for log URLs; set once the server listens.
    private var baseURL = ""

    private struct Running {
        var definition: ServiceDefinition
        var supervisor: ServiceSupervisor
        /// The service's status version when this supervisor took over, so that versions keep growing.
        var versionBase: UInt64
    }

    private var running: [String: Running] = [:]
    private var executions: [String: Gitpod_V1_TaskExecution] = [:]
    private var executionOrder: [String] = []
    private var executors: [String: PlanExecutor] = [:]
    /// The task that runs each unfinished execution and records its end; shutdown awaits them.
    private var executionTasks: [String: Task<Void, Never>] = [:]
    private var trackers: [String: ExecutionTracker] = [:]
    /// Where the state is saved, if anywhere.
    private var stateFiles: StateFiles?
    /// At most this many executions are kept per task (the oldest finished ones go first).
    static let executionsPerTask = 50

    public init(
        store: AutomationStore,
        workingDirectory: String,
        environment: [String: String],
        logDirectory: String,
        serviceStopGrace: Duration = .seconds(120)
    ) {
        self.store = store
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.logs = ServerLogWriter(directory: logDirectory)
        self.serviceStopGrace = serviceStopGrace
    }

    public func setBaseURL(_ url: String) { baseURL = url }

    // MARK: - State

    /// Loads what a previous server saved in `files` and saves there from now on. Executions that were running
    /// when that server stopped are FAILED ("server stopped"); no service is started.
    public func persist(in files: StateFiles, restoring snapshot: StateFiles.Snapshot?) async {
        stateFiles = files
        if let snapshot {
            let services = snapshot.services.map { service in
                var service = service
                if service.status.phase != .failed { service.status.phase = .stopped }
                return service
            }
            await store.restore(services: services, tasks: snapshot.tasks)
            for var execution in snapshot.executions {
                if execution.status.phase == .running || execution.status.phase == .pending {
                    execution.status.phase = .failed
                    execution.status.failureMessage = "server stopped"
                    execution.status.statusVersion += 1
                }
                executions[execution.id] = execution
                executionOrder.append(execution.id)
            }
        }
        await save()
    }

    /// Writes the state (services with their live status, tasks, executions) if a state directory is set.
    public func save() async {
        guard let stateFiles else { return }
        let (services, tasks) = await store.definitions()
        var live: [Gitpod_V1_Service] = []
        for service in services { live.append(await withLiveStatus(service)) }
        var all: [Gitpod_V1_TaskExecution] = []
        for id in executionOrder {
            if let execution = executions[id] { all.append(await withLiveStatus(execution)) }
        }
        let snapshot = StateFiles.Snapshot(
            environmentID: store.environmentID,
            services: live,
            tasks: tasks,
            executions: all
        )
        do {
            try stateFiles.save(snapshot)
        } catch {
            FileHandle.standardError.write(
                Data("error: cannot save the state in \(stateFiles.directory): \(error)\n".utf8)
            )
        }
    }

    // MARK: - Services

    /// The service with its live status.
    public func service(_ id: String) async throws(ConnectError) -> Gitpod_V1_Service {
        await withLiveStatus(try await store.service(id))
    }

    public func listServices(
        _ request: Gitpod_V1_ListServicesRequest,
        query: [String: String]
    ) async throws(ConnectError)
        -> Gitpod_V1_ListServicesResponse
    {
        var response = try await store.listServices(request, query: query)
        var services: [Gitpod_V1_Service] = []
        for service in response.services { services.append(await withLiveStatus(service)) }
        response.services = services
        return response
    }

    private func withLiveStatus(_ service: Gitpod_V1_Service) async -> Gitpod_V1_Service {
        var service = service
        if !baseURL.isEmpty { service.status.logURL = "\(baseURL)/logs/services/\(service.id)" }
        guard let entry = running[service.id] else { return service }
        let supervisor = entry.supervisor
        service.status.phase = Gitpod_V1_ServicePhase(await supervisor.phase)
        service.status.statusVersion = entry.versionBase + (await supervisor.statusVersion)
        service.status.failureMessage = await supervisor.failureMessage ?? ""
        return service
    }

    public func startService(_ id: String) async throws(ConnectError) {
        let service = try await store.service(id)
        _ = await supervisor(for: service).start()
    }

    public func stopService(_ id: String) async throws(ConnectError) {
        _ = try await store.service(id)
        guard let supervisor = running[id]?.supervisor else { return }
        Task { await supervisor.stop() }
    }

    public func updateService(_ request: Gitpod_V1_UpdateServiceRequest) async throws(ConnectError) {
        let phase = await running[request.id]?.supervisor.phase
        let isRunning = phase == .starting || phase == .running || phase == .stopping
        try await store.updateService(request, isRunning: isRunning)
    }

    /// Stops the service (at once with `force`, without its stop command) and removes it.
    public func deleteService(_ id: String, force: Bool) async throws(ConnectError) {
        _ = try await store.service(id)
        if let supervisor = running.removeValue(forKey: id)?.supervisor {
            if force { await supervisor.killNow() }
            await supervisor.stop()
        }
        try await store.removeService(id)
    }

    /// The supervisor for a service, made anew when the service's definition changed since it last ran.
    private func supervisor(for service: Gitpod_V1_Service) async -> ServiceSupervisor {
        let definition = service.definition
        if let entry = running[service.id] {
            let phase = await entry.supervisor.phase
            let busy = phase == .starting || phase == .running || phase == .stopping
            if busy || entry.definition == definition { return entry.supervisor }
        }
        let variables = environment.merging(service.spec.env.plainValues) { $1 }
        let directory = workingDirectory
        let supervisor = ServiceSupervisor(
            definition: definition,
            options: ServiceOptions(stopGracePeriod: serviceStopGrace) { command in
                CommandSpec(command: command, workingDirectory: directory, environment: variables)
            },
            observer: ServiceLogObserver(writer: logs, path: logs.path(service: service.id))
        )
        running[service.id] = Running(
            definition: definition,
            supervisor: supervisor,
            versionBase: service.status.statusVersion
        )
        return supervisor
    }

    /// The supervisor of the service with this reference, for executions (which leave it running).
    func supervisor(forReference reference: String) async -> ServiceSupervisor? {
        let list = try? await store.listServices(
            {
                var request = Gitpod_V1_ListServicesRequest()
                request.filter.references = [reference]
                return request
            }(),
            query: [:]
        )
        guard let service = list?.services.first else { return nil }
        return await supervisor(for: service)
    }

    // MARK: - Files and tasks

    public func applyFile(
        _ request: Gitpod_V1_UpsertAutomationsFileRequest
    ) async throws(ConnectError)
        -> Gitpod_V1_UpsertAutomationsFileResponse
    {
        let changes = try await store.apply(request)
        for id in changes.removedServiceIDs { try? await deleteService(id, force: false) }
        for id in changes.removedTaskIDs { try? await store.removeTask(id) }
        var response = Gitpod_V1_UpsertAutomationsFileResponse()
        response.updatedServiceIds = changes.updatedServiceIDs
        response.updatedTaskIds = changes.updatedTaskIDs
        return response
    }

    // MARK: - Executions

    /// Starts the task with everything it depends on, as one execution with one plan.
    public func startTask(_ id: String) async throws(ConnectError) -> Gitpod_V1_TaskExecution {
        let task = try await store.task(id)
        let (file, idOf) = await modelFile()
        let plan: ExecutionPlan
        do {
            plan = try Planner.plan(file, selecting: TargetSelection(references: [task.metadata.reference]))
        } catch {
            throw ConnectError(.failedPrecondition, error.description)
        }
        let executionID = AutomationStore.newID()
        var execution = Gitpod_V1_TaskExecution()
        execution.id = executionID
        execution.metadata.taskID = id
        execution.metadata.environmentID = store.environmentID
        execution.metadata.createdAt = Google_Protobuf_Timestamp(date: Date())
        execution.metadata.startedAt = execution.metadata.createdAt
        execution.metadata.startedBy = "automations serve"
        let tasksByID = await store.tasks
        for group in plan.groups {
            var specGroup = Gitpod_V1_TaskExecutionSpec.Group()
            for step in group {
                var specStep = Gitpod_V1_TaskExecutionSpec.Step()
                let stepID = idOf[step.reference] ?? step.reference
                specStep.id = stepID
                specStep.label = step.reference
                specStep.dependsOn = step.dependsOn.compactMap { idOf[$0] }
                if step.kind == .service {
                    specStep.serviceID = stepID
                } else {
                    var stepTask = Gitpod_V1_TaskExecutionSpec.Task()
                    stepTask.id = stepID
                    stepTask.spec = tasksByID[stepID]?.spec ?? Gitpod_V1_TaskSpec()
                    specStep.task = stepTask
                }
                specGroup.steps.append(specStep)
            }
            execution.spec.plan.append(specGroup)
        }
        execution.spec.desiredPhase = .running
        execution.status.phase = .running
        execution.status.statusVersion = 1
        let tracker = ExecutionTracker(writer: logs, path: logs.path(execution: executionID))
        let executor = PlanExecutor(
            file: file,
            plan: plan,
            options: {
                var options = ExecutionOptions(
                    resolver: CommandResolver(
                        workingDirectory: workingDirectory,
                        environment: environment,
                        containers: .host
                    )
                )
                options.sharedService = { [weak self] reference in await self?.supervisor(forReference: reference) }
                options.sweepsAtEnd = false
                return options
            }(),
            observer: tracker
        )
        executions[executionID] = execution
        executionOrder.append(executionID)
        executors[executionID] = executor
        trackers[executionID] = tracker
        pruneExecutions(of: id)
        executionTasks[executionID] = Task { [weak self] in
            let report = await executor.run()
            await self?.finished(executionID, report: report, idOf: idOf)
        }
        return await withLiveStatus(execution)
    }

    private func finished(_ id: String, report: ExecutionReport, idOf: [String: String]) {
        guard var execution = executions[id] else { return }
        execution.status.phase = Gitpod_V1_TaskExecutionPhase(report.phase)
        execution.status.statusVersion += 1
        execution.status.steps = report.steps.map { step(from: $0, idOf: idOf) }
        if let failure = report.steps.first(where: { $0.phase == .failed })?.failureMessage {
            execution.status.failureMessage = failure
        }
        execution.metadata.completedAt = Google_Protobuf_Timestamp(date: report.completedAt)
        executions[id] = execution
        executors[id] = nil
        executionTasks[id] = nil
        trackers[id] = nil
        Task { await save() }
    }

    private func step(from report: StepReport, idOf: [String: String]) -> Gitpod_V1_TaskExecutionStatus.Step {
        var step = Gitpod_V1_TaskExecutionStatus.Step()
        step.id = idOf[report.step.reference] ?? report.step.reference
        step.phase = Gitpod_V1_TaskExecutionPhase(report.phase)
        step.failureMessage = report.failureMessage ?? report.skipReason?.description ?? ""
        return step
    }

    /// The execution with its steps' phases as they are now.
    private func withLiveStatus(_ execution: Gitpod_V1_TaskExecution) async -> Gitpod_V1_TaskExecution {
        var execution = execution
        if !baseURL.isEmpty { execution.status.logURL = "\(baseURL)/logs/executions/\(execution.id)" }
        guard let tracker = trackers[execution.id] else { return execution }
        let (_, idOf) = await modelFile()
        let reports = tracker.reports
        execution.status.steps = execution.spec.plan.flatMap(\.steps).map { specStep in
            if let report = reports[specStep.label] { return step(from: report, idOf: idOf) }
            var step = Gitpod_V1_TaskExecutionStatus.Step()
            step.id = specStep.id
            step.phase = .pending
            return step
        }
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
        for id in executionOrder.reversed() {
            guard let stored = executions[id] else { continue }
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

    public func stopExecution(_ id: String) async throws(ConnectError) {
        _ = try await execution(id)
        guard let executor = executors[id] else { return }
        Task { await executor.stop(.requested) }
    }

    private func pruneExecutions(of taskID: String) {
        let ofTask = executionOrder.filter { executions[$0]?.metadata.taskID == taskID }
        let finished = ofTask.filter { executors[$0] == nil }
        for id in finished.prefix(max(0, ofTask.count - Self.executionsPerTask)) {
            executions[id] = nil
            executionOrder.removeAll { $0 == id }
        }
    }

    /// The store's definitions as a file for the planner, and each reference's id.
    private func modelFile() async -> (AutomationsFile, [String: String]) {
        let (services, tasks) = await store.definitions()
        var idOf: [String: String] = [:]
        var referenceOf: [String: String] = [:]
        for service in services {
            idOf[service.metadata.reference] = service.id
            referenceOf[service.id] = service.metadata.reference
        }
        for task in tasks {
            idOf[task.metadata.reference] = task.id
            referenceOf[task.id] = task.metadata.reference
        }
        let file = AutomationsFile(
            services: services.map(\.definition),
            tasks: tasks.map { $0.definition(referenceOf: referenceOf) }
        )
        return (file, idOf)
    }

    // MARK: - Shutdown

    /// Stops every execution and every service (their stop rules) and waits for them.
    public func shutdown() async {
        for executor in executors.values { await executor.stop(.requested) }
        for task in executionTasks.values { await task.value }
        for entry in running.values { await entry.supervisor.stop() }
        await save()
    }
}

extension AutomationsHost {
    /// Applies a checked file and starts what an environment start would: every service and task triggered by
    /// `postEnvironmentStart` or `postDevcontainerStart`.
    public func applyAtStart(_ file: AutomationsFile) async throws(ConnectError) {
        var request = Gitpod_V1_UpsertAutomationsFileRequest()
        request.automationsFile = Gitpod_V1_AutomationsFile(file)
        _ = try await applyFile(request)
        let starting: Set<Trigger> = [.postEnvironmentStart, .postDevcontainerStart]
        let (services, tasks) = await store.definitions()
        for service in services
        where file.service(service.metadata.reference)?.triggeredBy.contains(where: starting.contains) == true {
            try await startService(service.id)
        }
        for task in tasks
        where file.task(task.metadata.reference)?.triggeredBy.contains(where: starting.contains) == true {
            _ = try await startTask(task.id)
        }
    }
}

extension AutomationsHost {
    /// The log file of a service or an execution, and whether it may still grow; `nil` for an unknown id.
    public func log(kind: String, id: String) async -> (path: String, live: Bool)? {
        switch kind {
        case "services":
            guard (try? await store.service(id)) != nil else { return nil }
            let phase = await running[id]?.supervisor.phase
            let live = phase == .starting || phase == .running || phase == .stopping
            return (logs.path(service: id), live)
        case "executions":
            guard executions[id] != nil else { return nil }
            return (logs.path(execution: id), executors[id] != nil)
        default:
            return nil
        }
    }
}
