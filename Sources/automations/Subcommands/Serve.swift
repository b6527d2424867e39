import ArgumentParser
import AutomationsAPI
import AutomationsConfig
import AutomationsModel
import AutomationsRuntime
import AutomationsServer
import Foundation

/// `automations serve`: the public automations API over the same runtime as `run`.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the public gitpod.v1.EnvironmentAutomationService API (Connect, JSON and protobuf).",
        discussion: """
            The first line printed is `listening on http://HOST:PORT`, the second the environment id. With a file (given \
            or found), it is applied at start, and items triggered by postEnvironmentStart or postDevcontainerStart \
            are started. SIGINT or SIGTERM stops every execution and service, then the server exits 0.

            Example:
              automations serve --port 0 --token local-token
            """
    )

    @Option(name: [.short, .long], help: ArgumentHelp("An automations file to apply at start.", valueName: "path"))
    var file: String?

    @Option(help: "The address to bind.")
    var host = "127.0.0.1"

    @Option(help: "The port; 0 picks a free one.")
    var port = 0

    @Option(help: ArgumentHelp("Where the state and the logs are kept.", valueName: "dir"))
    var stateDir = ".automations/state"

    @Option(
        help: ArgumentHelp("Require `Authorization: Bearer TOKEN` (default: $AUTOMATIONS_TOKEN).", valueName: "token")
    )
    var token: String?

    @Option(help: ArgumentHelp("Grace period for stopping a service before it is killed.", valueName: "duration"))
    var stopTimeout = "2m"

    func run() async throws {
        let fileOptions = try FileOptions.parse(file.map { ["--file", $0] } ?? [])
        let directory = FileManager.default.currentDirectoryPath
        let loaded: LoadedAutomationsFile? =
            file != nil || AutomationsFileLocator.locate(from: directory) != nil ? try fileOptions.load() : nil
        guard let grace = DurationText.parseWithUnits(stopTimeout) else {
            throw fileOptions.fail("--stop-timeout '\(stopTimeout)' is not a duration; write it like 30s or 2m")
        }
        ProcessRuntime.becomeSubreaper()
        let state = URL(fileURLWithPath: stateDir, relativeTo: URL(fileURLWithPath: directory)).standardizedFileURL.path
        let files = StateFiles(directory: state)
        let snapshot: StateFiles.Snapshot?
        do {
            snapshot = try files.load()
        } catch {
            throw fileOptions.fail("cannot read the saved state in '\(state)': \(error)")
        }
        // Every process the server starts carries this id: if the server is killed (SIGKILL), the watchdog kills them.
        let runID = UUID().uuidString.lowercased()
        let watchdog = RunWatchdog(
            runID: runID,
            executable: RunSession.ownExecutable,
            arguments: ["__watchdog", runID]
        )
        let store = AutomationStore(environmentID: snapshot?.environmentID ?? UUID().uuidString.lowercased())
        let repositoryRoot = loaded?.rootDirectory ?? directory
        let variables = GitpodVariables.values(environmentID: store.environmentID, repositoryRoot: repositoryRoot)
            .merging([RunWatchdog.variable: runID]) { $1 }
        let host = AutomationsHost(
            store: store,
            workingDirectory: repositoryRoot,
            environment: ProcessInfo.processInfo.environment.merging(variables) { $1 },
            logDirectory: state + "/logs",
            serviceStopGrace: grace
        )
        await host.persist(in: files, restoring: snapshot)
        let environmentID = await host.store.environmentID
        let token = self.token ?? ProcessInfo.processInfo.environment["AUTOMATIONS_TOKEN"]
        let server = APIServer(host: host, address: self.host, port: port, token: token)
        try await server.run { url in
            // One write, unbuffered: whoever started the server reads this line to find the port.
            FileHandle.standardOutput.write(Data("listening on \(url)\nenvironment \(environmentID)\n".utf8))
            // `automations service|task|update` in this repository find the server through this file.
            do {
                try ServerEndpoint.write(url: url, token: token, stateFolder: state)
            } catch {
                FileHandle.standardError.write(Data("warning: \(error)\n".utf8))
            }
            if let loaded {
                do {
                    try await host.applyAtStart(loaded.file)
                } catch {
                    FileHandle.standardError.write(Data("error: applying \(loaded.displayPath): \(error)\n".utf8))
                }
            }
        }
        try? FileManager.default.removeItem(atPath: ServerEndpoint.file(inStateFolder: state))
        await ProcessRuntime.sweepEscapedProcesses()
        RunWatchdog.killMarked(runID: runID, sparing: [getpid()])
        await watchdog?.finish()
    }
}
