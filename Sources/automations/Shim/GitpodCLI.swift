import AutomationsClient
import AutomationsRun
import Foundation

/// The `gitpod`, `ona` and `gp` commands that real automations files call from their own commands, answered against
/// the run they are part of (or a running `serve`), through the API named by `AUTOMATIONS_API`. A run puts links
/// with these names to this executable first on its commands' `PATH`.
enum GitpodCLI {
    static let names = CLIShimFolder.commandNames

    /// Runs `name ARGUMENTS` and returns its exit status.
    static func main(name: String, arguments: [String]) -> Int32 {
        let parsed = ShimArguments(arguments)
        let environment = ProcessInfo.processInfo.environment
        let context = ShimContext(
            command: ([name] + arguments).joined(separator: " "),
            client: APIEndpoint.fromEnvironment(environment).map(APIClient.init),
            step: environment["AUTOMATIONS_STEP"],
            isInsideRun: environment[RunAPI.insideRunVariable] == "1"
        )
        var words = parsed.words[...]
        if name == "gp" {
            guard words.first == "url", words.count == 2 else { return context.unsupported() }
            return PortCommands.url(words.dropFirst(), context: context)
        }
        switch words.popFirst() {
        case "environment", "env":
            switch words.popFirst() {
            case "port", "ports": return PortCommands.run(words, arguments: parsed, context: context)
            case "get": return EnvironmentCommands.get(words, arguments: parsed, context: context)
            default: return context.unsupported()
            }
        case "ports", "port":
            return PortCommands.run(words, arguments: parsed, context: context)
        case "automations", "auto", "automation":
            switch words.popFirst() {
            case "service", "services": return ServiceCommands.run(words, arguments: parsed, context: context)
            case "task", "tasks": return TaskCommands.run(words, arguments: parsed, context: context)
            case "update": return UpdateCommand.run(words, context: context)
            default: return context.unsupported()
            }
        default:
            return context.unsupported()
        }
    }
}

/// What every stand-in command knows: the command line, the API, and the step that runs it.
struct ShimContext {
    var command: String
    var client: APIClient?
    var step: String?
    var isInsideRun: Bool

    /// Exit 1 at once: no terminal, no network, no waiting.
    func unsupported() -> Int32 {
        ShimOutput.error(
            "'\(command)' is not available outside Gitpod; automations answers: environment get, environment port open|list|get|close, "
                + "automations service start|stop|restart|status|logs|list, automations task start|list|logs, "
                + "automations update, gp url"
        )
        return 1
    }

    /// The API client, or an error when the command does not run under a run or `serve`.
    func requireClient() -> APIClient? {
        if client == nil {
            ShimOutput.error(
                "'\(command)': no automations run or server to ask (\(APIEndpoint.urlVariable) is not set)"
            )
        }
        return client
    }

    /// Prints a failed call and returns exit status 1.
    func failed(_ error: ClientError) -> Int32 {
        ShimOutput.error("'\(command)': \(error)")
        return 1
    }
}
