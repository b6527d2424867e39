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

            Only the user who started it gets in: every request needs the bearer token (a random one unless given), \
            which `automations service|task|update` and the hook read from the endpoint file in the state folder \
            (mode 0600; the folder is 0700); requests that name another host than the one served (DNS rebinding) or \
            come from a web page (an Origin header) are refused.

            Example:
              automations serve --port 0
              jq -r .token .automations/state/endpoint     # the token, for an SDK
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
        help: ArgumentHelp(
            "The bearer token every request needs (default: $AUTOMATIONS_TOKEN, else a random one).",
            valueName: "token"
        )
    )
    var token: String?

    @Flag(help: "Serve without a token: every user of this machine can then run commands as you.")
    var noToken = false

    @Option(
        help: ArgumentHelp("Also accept requests whose Host names this (a reverse proxy's name).", valueName: "name")
    )
    var allowHost: [String] = []

    @Option(
        help: ArgumentHelp("Accept requests from web pages of this origin (scheme://host[:port]).", valueName: "origin")
    )
    var allowOrigin: [String] = []

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
        let state = URL(fileURLWithPath: stateDir, relativeTo: URL(fileURLWithPath: directory)).standardizedFileURL.path
        do {
            try PrivateStateFolder.prepare(state)
        } catch {
            throw fileOptions.fail("\(error)")
        }
        let token = try ServeAccess.token(given: token, noToken: noToken, stateFolder: state, fileOptions: fileOptions)
        ProcessRuntime.becomeSubreaper()
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
        var server = APIServer(host: host, address: self.host, port: port, token: token)
        server.allowedHosts = allowHost
        server.allowedOrigins = allowOrigin
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
