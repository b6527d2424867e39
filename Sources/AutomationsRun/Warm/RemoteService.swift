import AutomationsAPI
import AutomationsClient
import AutomationsModel
import AutomationsReports
import AutomationsRuntime
import Foundation
import GitpodAPI

/// A service that a running `automations serve` keeps warm: a run's service step starts it there if it is not
/// running, awaits the server's answer that it is ready (`WaitForServiceSettled`), and leaves it running at the end.
actor RemoteService: ServiceHandle {
    let client: APIClient
    let reference: String
    /// The inputs it was started with and those now: a stale running service is restarted.
    let inputs: WarmInputs?
    private var id: String?
    private var lastPhase: ServicePhase = .stopped
    private var lastFailure: ServiceFailure?
    private var statusVersion: UInt64 = 0
    private var readyAt: Date?

    init(client: APIClient, reference: String, inputs: WarmInputs? = nil) {
        self.client = client
        self.reference = reference
        self.inputs = inputs
    }

    func start() async {
        guard await refresh(), lastPhase != .starting, let id else { return }
        if lastPhase == .running {
            guard let reason = inputs?.staleness(of: reference) else {
                inputs?.record(reference)
                return
            }
            TerminalOutput.standardOutput.write("↻ \(reference) restarted: \(reason)\n")
            await stopAndWait(id)
        }
        inputs?.record(reference)
        var request = Gitpod_V1_StartServiceRequest()
        request.id = id
        do {
            let _: Gitpod_V1_StartServiceResponse = try await client.callAsync("StartService", request)
            lastPhase = .starting
        } catch {
            fail("\(error)")
        }
    }

    func waitUntilSettled() async -> ServicePhase {
        guard await refresh(), lastPhase == .starting || lastPhase == .stopping, let id else { return settled() }
        var request = Gitpod_V1_GetServiceRequest()
        request.id = id
        do {
            let answer: Gitpod_V1_GetServiceResponse = try await client.callAsync(
                "WaitForServiceSettled",
                request,
                service: WaitRoutes.service
            )
            record(answer.service.status)
        } catch {
            fail("\(error)")
        }
        return settled()
    }

    /// Stops the service and awaits its end (its stop command and grace period).
    private func stopAndWait(_ id: String) async {
        var stop = Gitpod_V1_StopServiceRequest()
        stop.id = id
        _ = try? await client.callAsync("StopService", stop, as: Gitpod_V1_StopServiceResponse.self)
        var wait = Gitpod_V1_GetServiceRequest()
        wait.id = id
        let answer = try? await client.callAsync(
            "WaitForServiceStopped",
            wait,
            service: WaitRoutes.service,
            as: Gitpod_V1_GetServiceResponse.self
        )
        if let answer { record(answer.service.status) }
    }

    func stop() async {
        guard let id else { return }
        var request = Gitpod_V1_StopServiceRequest()
        request.id = id
        _ = try? await client.callAsync("StopService", request, as: Gitpod_V1_StopServiceResponse.self)
    }

    var phase: ServicePhase {
        get async {
            _ = await refresh()
            return lastPhase
        }
    }

    var failure: ServiceFailure? { lastFailure }

    func reportSnapshot() -> ServiceReport {
        ServiceReport(
            reference: reference,
            phase: lastPhase,
            readyAt: readyAt,
            statusVersion: statusVersion,
            failure: lastFailure
        )
    }

    /// The phase reached, noting when it became ready.
    private func settled() -> ServicePhase {
        if lastPhase == .running, readyAt == nil { readyAt = Date() }
        return lastPhase
    }

    /// Reads the service's status from the server; false when it cannot be read (the phase is then FAILED).
    private func refresh() async -> Bool {
        do {
            if id == nil {
                var list = Gitpod_V1_ListServicesRequest()
                list.filter.references = [reference]
                let found: Gitpod_V1_ListServicesResponse = try await client.callAsync("ListServices", list)
                guard let service = found.services.first else {
                    fail("no service '\(reference)' there; apply the file with `automations update`")
                    return false
                }
                id = service.id
            }
            var request = Gitpod_V1_GetServiceRequest()
            request.id = id ?? ""
            let answer: Gitpod_V1_GetServiceResponse = try await client.callAsync("GetService", request)
            record(answer.service.status)
            return true
        } catch {
            fail("\(error)")
            return false
        }
    }

    private func record(_ status: Gitpod_V1_ServiceStatus) {
        statusVersion = status.statusVersion
        // Deleted or unknown there: not running, as a stopped service is not.
        let phase = ServicePhase(status.phase)
        lastPhase = phase == .deleted || phase == .unspecified ? .stopped : phase
        lastFailure = status.failureMessage.isEmpty ? nil : .reportedByServer(status.failureMessage)
    }

    private func fail(_ message: String) {
        lastPhase = .failed
        lastFailure = .reportedByServer(message)
    }
}
