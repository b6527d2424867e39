import ArgumentParser
import AutomationsClient
import AutomationsRun
import Foundation

/// What `automations service|task|update` share: the server they talk to (`--api URL` or found), and the words.
struct ServerCommandWords {
    var words: [String]
    var api: String?

    /// Takes `--api URL` / `--api=URL` out of `words`.
    init(_ words: [String]) {
        var rest: [String] = []
        var index = 0
        while index < words.count {
            let word = words[index]
            index += 1
            if word == "--api", index < words.count {
                api = words[index]
                index += 1
            } else if word.hasPrefix("--api=") {
                api = String(word.dropFirst("--api=".count))
            } else {
                rest.append(word)
            }
        }
        self.words = rest
    }

    /// Whether the words ask for help (`--help` or `-h` before any `--`): answered without a server.
    var asksForHelp: Bool {
        words.prefix { $0 != "--" }.contains { $0 == "--help" || $0 == "-h" }
    }

    /// Prints the help of `command` (a subcommand of `automations`) when the words ask for it.
    /// - Returns: whether it did.
    func printHelpIfAsked(for command: any ParsableCommand.Type) -> Bool {
        guard asksForHelp else { return false }
        print(AutomationsCommand.helpMessage(for: command))
        return true
    }

    /// The context for the stand-in's commands against the server found; exits 2 when none is found.
    func context(command: String) throws -> ShimContext {
        let environment = ProcessInfo.processInfo.environment
        guard
            let found = ServerEndpoint.find(
                api: api,
                environment: environment,
                directory: FileManager.default.currentDirectoryPath
            )
        else {
            FileHandle.standardError.write(
                Data(
                    ("error: no running `automations serve` for this repository (looked at --api, "
                        + "\(APIEndpoint.urlVariable) and .automations/state/endpoint); start one, or use "
                        + "`automations run`\n").utf8
                )
            )
            throw ExitCode(ExitStatus.invalidInput)
        }
        return ShimContext(
            command: "automations " + command,
            client: APIClient(endpoint: found.endpoint),
            step: nil,
            isInsideRun: false
        )
    }
}

/// `automations service start|stop|restart|status|logs|list [REF...]` against a running `serve`.
struct ServiceSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service",
        abstract: "Start, stop, restart, list or follow the services of a running `automations serve`.",
        discussion: """
            The same commands as `gitpod automations service …` inside a run. The server is --api URL, else \
            AUTOMATIONS_API, else the one whose state folder (.automations/state) is in this repository.

            Examples:
              automations service start db redis
              automations service status -o json
              automations service logs db --follow
            """
    )

    @Argument(parsing: .captureForPassthrough, help: "start|stop|restart|status|logs|list [REF...] [--api URL]")
    var words: [String] = []

    func run() throws {
        let parsed = ServerCommandWords(words)
        if parsed.printHelpIfAsked(for: Self.self) { return }
        let context = try parsed.context(command: "service " + parsed.words.joined(separator: " "))
        let status = ServiceCommands.run(parsed.words[...], arguments: ShimArguments(parsed.words), context: context)
        if status != 0 { throw ExitCode(status) }
    }
}

/// `automations update [PATH|-]` against a running `serve`.
struct UpdateSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Check an automations file and apply it to a running `automations serve`.",
        discussion: "Diagnostics as `validate` prints them, exit status 2 when the file is invalid."
    )

    @Argument(parsing: .captureForPassthrough, help: "[PATH|-] [--api URL]")
    var words: [String] = []

    func run() throws {
        let parsed = ServerCommandWords(words)
        if parsed.printHelpIfAsked(for: Self.self) { return }
        let context = try parsed.context(command: "update " + parsed.words.joined(separator: " "))
        let status = UpdateCommand.run(parsed.words[...], context: context)
        if status != 0 { throw ExitCode(status) }
    }
}
