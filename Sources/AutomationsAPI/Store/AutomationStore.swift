import AutomationsModel
public import Foundation
public import GitpodAPI
import SwiftProtobuf

/// The services, tasks and task executions of the one environment this server serves.
///
/// Definitions are kept as the API's own messages. This file holds what needs no process: creating, reading,
/// listing, updating and deleting definitions, and applying an automations file.
public actor AutomationStore {
    public nonisolated let environmentID: String
    /// Services and tasks in creation order (lists are answered in that order).
    var services: [String: Gitpod_V1_Service] = [:]
    var serviceOrder: [String] = []
    var tasks: [String: Gitpod_V1_Task] = [:]
    var taskOrder: [String] = []

    public init(environmentID: String = UUID().uuidString.lowercased()) {
        self.environmentID = environmentID
    }

    static func newID() -> String { UUID().uuidString.lowercased() }

    // MARK: - Services

    public func createService(_ request: Gitpod_V1_CreateServiceRequest) throws(ConnectError) -> Gitpod_V1_Service {
        try checkEnvironment(request.environmentID)
        try Validation.reference(request.metadata.reference, kind: .service)
        try checkReferenceIsFree(request.metadata.reference)
        var service = Gitpod_V1_Service()
        service.id = Self.newID()
        service.environmentID = environmentID
        service.metadata = request.metadata
        service.metadata.createdAt = Google_Protobuf_Timestamp(date: Date())
        service.spec = request.spec
        service.spec.specVersion = 1
        service.status.phase = .stopped
        service.status.statusVersion = 1
        try checkRules(changing: service)
        services[service.id] = service
        serviceOrder.append(service.id)
        return service
    }

    public func service(_ id: String) throws(ConnectError) -> Gitpod_V1_Service {
        try Validation.uuid(id, field: "id")
        guard let service = services[id] else { throw ConnectError(.notFound, "service \(id) not found") }
        return service
    }

    public func listServices(
        _ request: Gitpod_V1_ListServicesRequest,
        query: [String: String]
    ) throws(ConnectError)
        -> Gitpod_V1_ListServicesResponse
    {
        let filter = request.filter
        try Validation.filter(filter.environmentIds, field: "filter.environmentIds")
        try Validation.filter(filter.references, field: "filter.references")
        try Validation.filter(filter.serviceIds, field: "filter.serviceIds")
        try Validation.filter(filter.roles, field: "filter.roles")
        let matching = serviceOrder.compactMap { services[$0] }.filter { service in
            (filter.environmentIds.isEmpty || filter.environmentIds.contains(service.environmentID))
                && (filter.references.isEmpty || filter.references.contains(service.metadata.reference))
                && (filter.serviceIds.isEmpty || filter.serviceIds.contains(service.id))
                && (filter.roles.isEmpty || filter.roles.contains(service.metadata.role))
        }
        let (token, size) = try Self.paging(request.pagination, query: query)
        let page = try Page(matching, token: token, size: size)
        var response = Gitpod_V1_ListServicesResponse()
        response.services = page.items
        response.pagination.nextToken = page.nextToken
        return response
    }

    /// Applies an update of definitions; a running service's commands cannot change.
    public func updateService(_ request: Gitpod_V1_UpdateServiceRequest, isRunning: Bool) throws(ConnectError) {
        var service = try service(request.id)
        if request.hasMetadata {
            let metadata = request.metadata
            if metadata.hasName { service.metadata.name = metadata.name }
            if metadata.hasDescription_p { service.metadata.description_p = metadata.description_p }
            if metadata.hasTriggeredBy { service.metadata.triggeredBy = metadata.triggeredBy.trigger }
            if metadata.hasRole { service.metadata.role = metadata.role }
        }
        if request.hasSpec {
            let spec = request.spec
            let changesWhatRuns = spec.hasCommands || spec.hasRunsOn || !spec.env.isEmpty
            if changesWhatRuns && isRunning {
                throw ConnectError(
                    .failedPrecondition,
                    "service \(request.id) is running; stop it before changing its spec"
                )
            }
            if spec.hasCommands {
                if spec.commands.hasStart { service.spec.commands.start = spec.commands.start }
                if spec.commands.hasReady { service.spec.commands.ready = spec.commands.ready }
                if spec.commands.hasStop { service.spec.commands.stop = spec.commands.stop }
            }
            if spec.hasRunsOn { service.spec.runsOn = spec.runsOn }
            if !spec.env.isEmpty { service.spec.env = spec.env }
            if spec.hasReadinessTimeout { service.spec.readinessTimeout = spec.readinessTimeout }
            service.spec.specVersion += 1
        }
        try checkRules(changing: service)
        services[service.id] = service
    }

    /// Removes a service's definition (the caller stops it first).
    public func removeService(_ id: String) throws(ConnectError) {
        _ = try service(id)
        services[id] = nil
        serviceOrder.removeAll { $0 == id }
    }

    /// Records the phase a service was asked to reach (StartService: RUNNING, StopService: STOPPED), as Gitpod's API
    /// does in `spec.desiredPhase`.
    func setDesiredPhase(of id: String, _ phase: Gitpod_V1_ServicePhase) {
        services[id]?.spec.desiredPhase = phase
    }

    /// Records a status change of a service.
    func setStatus(of id: String, _ update: (inout Gitpod_V1_ServiceStatus) -> Void) {
        guard var service = services[id] else { return }
        update(&service.status)
        service.status.statusVersion += 1
        services[id] = service
    }

    // MARK: - Tasks

    public func createTask(_ request: Gitpod_V1_CreateTaskRequest) throws(ConnectError) -> Gitpod_V1_Task {
        try checkEnvironment(request.environmentID)
        try Validation.reference(request.metadata.reference, kind: .task)
        try checkReferenceIsFree(request.metadata.reference)
        try checkDependencies(request.dependsOn)
        var task = Gitpod_V1_Task()
        task.id = Self.newID()
        task.environmentID = environmentID
        task.metadata = request.metadata
        task.metadata.createdAt = Google_Protobuf_Timestamp(date: Date())
        task.spec = request.spec
        task.dependsOn = request.dependsOn
        try checkRules(changing: task)
        tasks[task.id] = task
        taskOrder.append(task.id)
        return task
    }

    public func task(_ id: String) throws(ConnectError) -> Gitpod_V1_Task {
        try Validation.uuid(id, field: "id")
        guard let task = tasks[id] else { throw ConnectError(.notFound, "task \(id) not found") }
        return task
    }

    public func listTasks(
        _ request: Gitpod_V1_ListTasksRequest,
        query: [String: String]
    ) throws(ConnectError)
        -> Gitpod_V1_ListTasksResponse
    {
        let filter = request.filter
        try Validation.filter(filter.environmentIds, field: "filter.environmentIds")
        try Validation.filter(filter.references, field: "filter.references")
        try Validation.filter(filter.taskIds, field: "filter.taskIds")
        let matching = taskOrder.compactMap { tasks[$0] }.filter { task in
            (filter.environmentIds.isEmpty || filter.environmentIds.contains(task.environmentID))
                && (filter.references.isEmpty || filter.references.contains(task.metadata.reference))
                && (filter.taskIds.isEmpty || filter.taskIds.contains(task.id))
        }
        let (token, size) = try Self.paging(request.pagination, query: query)
        let page = try Page(matching, token: token, size: size)
        var response = Gitpod_V1_ListTasksResponse()
        response.tasks = page.items
        response.pagination.nextToken = page.nextToken
        return response
    }

    public func updateTask(_ request: Gitpod_V1_UpdateTaskRequest) throws(ConnectError) {
        var task = try task(request.id)
        if request.hasMetadata {
            let metadata = request.metadata
            if metadata.hasName { task.metadata.name = metadata.name }
            if metadata.hasDescription_p { task.metadata.description_p = metadata.description_p }
            if metadata.hasTriggeredBy { task.metadata.triggeredBy = metadata.triggeredBy.trigger }
        }
        if request.hasSpec {
            let spec = request.spec
            if spec.hasCommand { task.spec.command = spec.command }
            if spec.hasRunsOn { task.spec.runsOn = spec.runsOn }
            if !spec.env.isEmpty { task.spec.env = spec.env }
            if spec.hasPrebuildRequiresSuccess { task.spec.prebuildRequiresSuccess = spec.prebuildRequiresSuccess }
        }
        if !request.dependsOn.isEmpty {
            try checkDependencies(request.dependsOn, of: task.id)
            task.dependsOn = request.dependsOn
        }
        try checkRules(changing: task)
        tasks[task.id] = task
    }

    public func removeTask(_ id: String) throws(ConnectError) {
        _ = try task(id)
        tasks[id] = nil
        taskOrder.removeAll { $0 == id }
    }

    /// Every service and task, in creation order.
    func definitions() -> (services: [Gitpod_V1_Service], tasks: [Gitpod_V1_Task]) {
        (serviceOrder.compactMap { services[$0] }, taskOrder.compactMap { tasks[$0] })
    }

    /// Puts back what a previous server saved.
    public func restore(services restored: [Gitpod_V1_Service], tasks restoredTasks: [Gitpod_V1_Task]) {
        for service in restored {
            services[service.id] = service
            serviceOrder.append(service.id)
        }
        for task in restoredTasks {
            tasks[task.id] = task
            taskOrder.append(task.id)
        }
    }

    // MARK: - Checks

    private func checkEnvironment(_ id: String) throws(ConnectError) {
        guard id.isEmpty || id == environmentID else {
            throw ConnectError(.notFound, "environment \(id) not found; this server serves \(environmentID)")
        }
    }

    private func checkReferenceIsFree(_ reference: String) throws(ConnectError) {
        let taken =
            services.values.contains { $0.metadata.reference == reference }
            || tasks.values.contains { $0.metadata.reference == reference }
        if taken { throw ConnectError(.alreadyExists, "reference '\(reference)' is already used") }
    }

    /// Dependencies are ids of tasks or services; a task cannot depend on itself.
    private func checkDependencies(_ ids: [String], of task: String? = nil) throws(ConnectError) {
        for id in ids {
            try Validation.uuid(id, field: "dependsOn")
            guard tasks[id] != nil || services[id] != nil else {
                throw ConnectError(.invalidArgument, "dependsOn: no task or service \(id)")
            }
            if id == task { throw ConnectError(.invalidArgument, "a task cannot depend on itself") }
        }
    }

    /// The page token and size: query values (the older SDK's) override the body's.
    static func paging(
        _ pagination: Gitpod_V1_PaginationRequest,
        query: [String: String]
    ) throws(ConnectError)
        -> (token: String, size: Int)
    {
        var size = pagination.pageSize
        if let text = query["pageSize"] {
            guard let value = Int32(text) else {
                throw ConnectError(.invalidArgument, "pageSize must be a number, found '\(text)'")
            }
            size = value
        }
        return (query["token"] ?? pagination.token, try Validation.pageSize(size))
    }
}
