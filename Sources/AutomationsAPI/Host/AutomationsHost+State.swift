import AutomationsRuntime
import Foundation
import GitpodAPI

extension AutomationsHost {
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
                executions.add(execution)
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
        for execution in executions.oldestFirst { all.append(await withLiveStatus(execution)) }
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
}
