import AutomationsRuntime
public import GitpodAPI

extension AutomationsHost {
    /// The service once it is RUNNING, STOPPED or FAILED (`untilStopped`: once it is STOPPED or FAILED); at once
    /// when it is not starting (or running, for `untilStopped`).
    public func waitForService(_ id: String, untilStopped: Bool) async throws(ConnectError) -> Gitpod_V1_Service {
        let service = try await store.service(id)
        if let supervisor = services[id]?.supervisor {
            _ = untilStopped ? await supervisor.waitUntilFinal() : await supervisor.waitUntilSettled()
        }
        return await withLiveStatus(service)
    }

    /// The execution once it has ended (at once when it has).
    public func waitForExecution(_ id: String) async throws(ConnectError) -> Gitpod_V1_TaskExecution {
        _ = try await execution(id)
        // Registered and checked in one step of the actor: an end recorded after the check reaches the ticket.
        let ticket = executionEnded.register { $0 == id }
        if executions.live(id) == nil {
            executionEnded.withdraw(ticket)
        } else {
            _ = await executionEnded.wait(ticket)
        }
        return try await execution(id)
    }
}
