package import AutomationsAPI
package import AutomationsConfig
import AutomationsRuntime
import AutomationsServer
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `automations serve` is asked to serve, typed.
package struct ServeConfiguration: Sendable {
    /// The file to apply at start, if one was given or found.
    package var loaded: LoadedAutomationsFile?
    /// Where commands run when no file says (the repository root of the file otherwise).
    package var directory: String
    package var host = "127.0.0.1"
    package var port = 0
    /// The state folder, absolute.
    package var stateFolder: String
    /// The bearer token every request needs; `nil` only with `--no-token`.
    package var token: String?
    package var allowedHosts: [String] = []
    package var allowedOrigins: [String] = []
    package var serviceStopGrace: Duration = .seconds(120)
    package var processEnvironment: [String: String]

    package init(
        loaded: LoadedAutomationsFile?,
        directory: String,
        stateFolder: String,
        processEnvironment: [String: String]
    ) {
        self.loaded = loaded
        self.directory = directory
        self.stateFolder = stateFolder
        self.processEnvironment = processEnvironment
    }
}

/// Why `serve` cannot start.
package enum ServeError: Error, CustomStringConvertible {
    case stateFolder(StateFolderError)
    case token(ServeTokenError)
    case unreadableState(folder: String, reason: String)

    package var description: String {
        switch self {
        case .stateFolder(let error): "\(error)"
        case .token(let error): error.description
        case .unreadableState(let folder, let reason): "cannot read the saved state in '\(folder)': \(reason)"
        }
    }
}

/// `automations serve`: the public API over the same runtime as a run, until SIGINT or SIGTERM; then every
/// execution and service is stopped and nothing it started is left.
package struct ServeSession: Sendable {
    package let configuration: ServeConfiguration

    package init(_ configuration: ServeConfiguration) {
        self.configuration = configuration
    }

    /// Serves until stopped. `listening` gets the URL and environment id once the port is bound (before the file is
    /// applied); `warning` gets what did not work but does not stop the server.
    package func run(
        listening: @escaping @Sendable (_ url: String, _ environmentID: String) -> Void,
        warning: @escaping @Sendable (String) -> Void
    ) async throws {
        let state = configuration.stateFolder
        ProcessRuntime.becomeSubreaper()
        let files = StateFiles(directory: state)
        let snapshot: StateFiles.Snapshot?
        do {
            snapshot = try files.load()
        } catch {
            throw ServeError.unreadableState(folder: state, reason: "\(error)")
        }
        // Every process the server starts carries this id: if the server is killed (SIGKILL), the watchdog kills them.
        let runID = UUID().uuidString.lowercased()
        let watchdog = RunWatchdog(
            runID: runID,
            executable: ProcessRuntime.ownExecutable,
            arguments: ["__watchdog", runID]
        )
        let host = await makeHost(runID: runID, environmentID: snapshot?.environmentID)
        await host.persist(in: files, restoring: snapshot)
        let environmentID = await host.store.environmentID
        var server = APIServer(
            host: host,
            address: configuration.host,
            port: configuration.port,
            token: configuration.token
        )
        server.allowedHosts = configuration.allowedHosts
        server.allowedOrigins = configuration.allowedOrigins
        try await server.run { url in
            listening(url, environmentID)
            await started(url: url, host: host, warning: warning)
        }
        try? FileManager.default.removeItem(atPath: ServerEndpoint.file(inStateFolder: state))
        await ProcessRuntime.sweepEscapedProcesses()
        RunWatchdog.killMarked(runID: runID, sparing: [getpid()])
        await watchdog?.finish()
    }

    /// Once the server listens: the endpoint file for `automations service|task|update`, then the file applied.
    private func started(url: String, host: AutomationsHost, warning: @Sendable (String) -> Void) async {
        do {
            try ServerEndpoint.write(url: url, token: configuration.token, stateFolder: configuration.stateFolder)
        } catch {
            warning("\(error)")
        }
        guard let loaded = configuration.loaded else { return }
        // What the services start with now: a warm check restarts one whose inputs changed since.
        await WarmInputs.read(
            loaded: loaded,
            root: loaded.rootDirectory,
            environment: configuration.processEnvironment,
            cacheFolder: nil
        ).recordAll()
        do {
            try await host.applyAtStart(loaded.file)
        } catch {
            warning("applying \(loaded.displayPath): \(error)")
        }
    }

    private func makeHost(runID: String, environmentID: String?) async -> AutomationsHost {
        let store = AutomationStore(environmentID: environmentID ?? UUID().uuidString.lowercased())
        let repositoryRoot = configuration.loaded?.rootDirectory ?? configuration.directory
        let variables = GitpodVariables.values(environmentID: store.environmentID, repositoryRoot: repositoryRoot)
            .merging([RunWatchdog.variable: runID]) { $1 }
        return AutomationsHost(
            store: store,
            workingDirectory: repositoryRoot,
            environment: configuration.processEnvironment.merging(variables) { $1 },
            logDirectory: configuration.stateFolder + "/logs",
            serviceStopGrace: configuration.serviceStopGrace
        )
    }
}
