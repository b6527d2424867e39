public import AutomationsModel
public import AutomationsRuntime
public import GitpodAPI

extension AutomationsHost {
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

    func withLiveStatus(_ service: Gitpod_V1_Service) async -> Gitpod_V1_Service {
        var service = service
        if !baseURL.isEmpty { service.status.logURL = "\(baseURL)/logs/services/\(service.id)" }
        guard let entry = services[service.id] else { return service }
        let supervisor = entry.supervisor
        service.status.phase = Gitpod_V1_ServicePhase(await supervisor.phase)
        service.status.statusVersion = entry.versionBase + (await supervisor.statusVersion)
        service.status.failureMessage = await supervisor.failureMessage ?? ""
        return service
    }

    public func startService(_ id: String) async throws(ConnectError) {
        let service = try await store.service(id)
        await store.setDesiredPhase(of: id, .running)
        _ = await supervisor(for: service).start()
    }

    /// Asks the service to stop; the stop (its stop command, the grace period) goes on in the background.
    public func stopService(_ id: String) async throws(ConnectError) {
        _ = try await store.service(id)
        await store.setDesiredPhase(of: id, .stopped)
        guard let supervisor = services[id]?.supervisor else { return }
        perform { await supervisor.stop() }
    }

    public func updateService(_ request: Gitpod_V1_UpdateServiceRequest) async throws(ConnectError) {
        try await store.updateService(request, isRunning: await isActive(request.id))
    }

    /// Stops the service (at once with `force`, without its stop command) and removes it.
    public func deleteService(_ id: String, force: Bool) async throws(ConnectError) {
        _ = try await store.service(id)
        if let supervisor = services.removeValue(forKey: id)?.supervisor {
            if force { await supervisor.killNow() }
            await supervisor.stop()
        }
        try await store.removeService(id)
    }

    /// Whether the service is starting, running or stopping.
    func isActive(_ id: String) async -> Bool {
        guard let phase = await services[id]?.supervisor.phase else { return false }
        return phase == .starting || phase == .running || phase == .stopping
    }

    /// The supervisor for a service, made anew when the service's definition changed since it last ran.
    private func supervisor(for service: Gitpod_V1_Service) async -> ServiceSupervisor {
        let definition = service.definition
        if let entry = services[service.id], await isActive(service.id) || entry.definition == definition {
            return entry.supervisor
        }
        let supervisor = runtime.makeSupervisor(
            service,
            ServiceLogObserver(writer: logs, path: logs.path(service: service.id))
        )
        services[service.id] = RunningService(
            definition: definition,
            supervisor: supervisor,
            versionBase: service.status.statusVersion
        )
        return supervisor
    }

    /// The supervisor of the service with this reference, for executions (which leave it running).
    public func supervisor(forReference reference: String) async -> ServiceSupervisor? {
        await applyPendingFile()
        var request = Gitpod_V1_ListServicesRequest()
        request.filter.references = [reference]
        guard let service = try? await store.listServices(request, query: [:]).services.first else { return nil }
        return await supervisor(for: service)
    }

    /// Snapshots of the services started through the host whose references are not in `references` (a run's
    /// plan): what was started from inside a run besides its plan.
    public func serviceReports(excluding references: Set<String>) async -> [ServiceReport] {
        var reports: [ServiceReport] = []
        for entry in services.values where !references.contains(entry.definition.reference) {
            reports.append(await entry.supervisor.reportSnapshot())
        }
        return reports.sorted { $0.reference < $1.reference }
    }

    // MARK: - Files

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
