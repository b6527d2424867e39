import ArgumentParser
import AutomationsConfig
import AutomationsModel
import AutomationsReports
import AutomationsRun
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
        let environment = ProcessInfo.processInfo.environment
        var configuration = ServeConfiguration(
            loaded: loaded,
            directory: directory,
            stateFolder: URL(fileURLWithPath: stateDir, relativeTo: URL(fileURLWithPath: directory))
                .standardizedFileURL.path,
            processEnvironment: environment
        )
        configuration.host = host
        configuration.port = port
        configuration.allowedHosts = allowHost
        configuration.allowedOrigins = allowOrigin
        configuration.serviceStopGrace = grace
        do {
            let access = try ServeToken.prepare(
                stateFolder: configuration.stateFolder,
                given: token,
                noToken: noToken,
                environment: environment
            )
            if let warning = access.warning { TerminalOutput.standardError.write("warning: \(warning)\n") }
            configuration.token = access.token
            try await ServeSession(configuration).run(
                listening: { url, environmentID in
                    // One write, unbuffered: whoever started the server reads this line to find the port.
                    TerminalOutput.standardOutput.write("listening on \(url)\nenvironment \(environmentID)\n")
                },
                warning: { TerminalOutput.standardError.write("warning: \($0)\n") }
            )
        } catch let error as ServeError {
            throw fileOptions.fail(error.description)
        }
    }
}
