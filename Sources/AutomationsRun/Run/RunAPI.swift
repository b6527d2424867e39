import AutomationsAPI
import AutomationsClient
import AutomationsModel
import AutomationsRuntime
import AutomationsServer
import Foundation
import GitpodAPI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The API a run serves to its own commands for as long as it runs, on a Unix socket in a private folder (mode
/// 0700) that only they are told about (`AUTOMATIONS_API`); and the `gitpod`, `ona` and `gp` stand-ins first on
/// their `PATH`. The run's services and tasks are the API's objects: its services are the host's supervisors
/// (started by the plan or through the API, reported and stopped by the run), and a task started through the API
/// runs its plan inside the run (``NestedExecutions``).
package final class RunAPI: Sendable {
    /// Set for the commands of a run (whose plan never changes while it runs): `gitpod automations update` inside
    /// one only checks the file.
    package static let insideRunVariable = "AUTOMATIONS_IN_RUN"

    let folder: String
    let host: AutomationsHost
    /// What the run's commands get in their environment.
    let environment: [String: String]
    private let hostTask: Task<Void, Never>
    private let serverTask: Task<Void, any Error>
    /// Finishing it shuts the server down gracefully.
    private let stopServer: AsyncStream<Void>.Continuation

    /// Creates the folder, the stand-ins (unless `shim` is false) and the socket, and returns once it listens.
    /// `commandEnvironment` is the environment commands would get without the API; `makeOptions` turns the final
    /// one into the run's execution options.
    static func start(
        file: AutomationsFile,
        commandEnvironment: [String: String],
        shim: Bool,
        gitpodVariables: (repositoryRoot: String, keep: Set<String>)?,
        observer: any RuntimeObserver,
        makeOptions: @escaping @Sendable ([String: String]) -> ExecutionOptions
    ) async throws -> RunAPI {
        let folder = try CLIShimFolder.makePrivateFolder()
        let store = AutomationStore()
        var environment = [
            APIEndpoint.urlVariable: "unix:\(folder)/api.sock",
            Self.insideRunVariable: "1",
        ]
        if shim {
            environment["PATH"] = try CLIShimFolder.create(in: folder, path: commandEnvironment["PATH"])
        }
        if let gitpodVariables {
            let values = GitpodVariables.values(
                environmentID: store.environmentID,
                repositoryRoot: gitpodVariables.repositoryRoot
            )
            for (name, value) in values where !gitpodVariables.keep.contains(name) { environment[name] = value }
        }
        let options = makeOptions(commandEnvironment.merging(environment) { $1 })
        let runtime = HostRuntime(
            makeSupervisor: { service, log in
                let definition = file.service(service.metadata.reference) ?? service.definition
                return PlanExecutor.makeSupervisor(
                    for: definition,
                    options: options,
                    observer: ObserverFanOut([observer, log])
                )
            },
            executionOptions: options,
            executionObserver: { number in NestedExecutionObserver(number: number, downstream: observer) }
        )
        let host = AutomationsHost(store: store, logDirectory: folder + "/logs", runtime: runtime)
        // The file becomes the API's objects at the first call or service step (0.7 s for 10,000 tasks): a run that
        // never uses its API does not pay for it.
        await host.applyWhenNeeded(file)
        let (serverTask, stopServer) = await listen(host, socket: folder + "/api.sock")
        return RunAPI(
            folder: folder,
            host: host,
            environment: environment,
            hostTask: Task { await host.run() },
            serverTask: serverTask,
            stopServer: stopServer
        )
    }

    /// Serves the host on the Unix socket; returns once it listens, with the server's task and what stops it.
    private static func listen(
        _ host: AutomationsHost,
        socket: String
    ) async -> (Task<Void, any Error>, AsyncStream<Void>.Continuation) {
        var server = APIServer(host: host, address: "127.0.0.1", port: 0, token: nil)
        server.unixSocketPath = socket
        let (listening, listeningContinuation) = AsyncStream.makeStream(of: String.self)
        let (stop, stopContinuation) = AsyncStream.makeStream(of: Void.self)
        let serverTask = Task {
            try await server.run(until: { for await _ in stop {} }) { url in
                listeningContinuation.yield(url)
                listeningContinuation.finish()
            }
        }
        for await _ in listening { break }
        return (serverTask, stopContinuation)
    }

    private init(
        folder: String,
        host: AutomationsHost,
        environment: [String: String],
        hostTask: Task<Void, Never>,
        serverTask: Task<Void, any Error>,
        stopServer: AsyncStream<Void>.Continuation
    ) {
        self.stopServer = stopServer
        self.folder = folder
        self.host = host
        self.environment = environment
        self.hostTask = hostTask
        self.serverTask = serverTask
    }

    /// Gives the main plan the host's supervisors: a service started through the API and by the plan is one.
    func serve(_ options: inout ExecutionOptions) {
        let host = self.host
        options.sharedService = { reference in await host.supervisor(forReference: reference) }
        options.ownsSharedServices = true
        options.beforeFinalSweep = { [self] in await self.stopHost() }
    }

    /// Stops nested executions, the services started through the API and what they left running.
    func stopHost() async {
        host.shutdown()
        await hostTask.value
    }

    /// Stops nested executions, services and what they left running, then the server; removes the folder.
    /// Returns what happened through the API, for the run's report.
    func finish(
        planServices: Set<String>
    ) async -> (
        nested: [(number: Int, report: ExecutionReport)], services: [ServiceReport], ports: [OpenedPort]
    ) {
        await stopHost()
        stopServer.finish()
        _ = try? await serverTask.value
        let nested = await host.executionReports()
        let services = await host.serviceReports(excluding: planServices)
        let ports = await host.ports.all
        try? FileManager.default.removeItem(atPath: folder)
        return (nested, services, ports)
    }
}

/// Why the files a run's API or `serve` needs could not be made (the error number says why).
package enum RunAPIError: Error, CustomStringConvertible, Equatable {
    /// The run's private folder (its API socket and the CLI stand-in's links).
    case cannotCreatePrivateFolder(errorNumber: Int32)
    case cannotWrite(path: String, errorNumber: Int32)

    package var description: String {
        switch self {
        case .cannotCreatePrivateFolder(let number):
            "cannot create a private folder for the run: \(String(cString: strerror(number)))"
        case .cannotWrite(let path, let number): "cannot write \(path): \(String(cString: strerror(number)))"
        }
    }
}
