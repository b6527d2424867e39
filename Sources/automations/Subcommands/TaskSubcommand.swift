import ArgumentParser
import AutomationsRun
import Foundation

/// `automations task start|list|logs` against a running `serve`. `task start REF…` runs the tasks here, exactly as
/// `automations run REF…` does (the same options, console, reports and exit statuses), with the services the plan
/// needs taken from the server: started there if they are not running, and left running for the next check.
/// With `--dont-wait`, the server runs the task instead and its execution id is printed.
struct TaskSubcommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task",
        abstract: "Run tasks against the warm services of a running `automations serve`; list tasks; print logs.",
        discussion: """
            `task start REF… [run options]` takes every option of `automations run` (--junit, --report-json, \
            --timeout, …) and exits like it. The server is --api URL, else AUTOMATIONS_API, else the one whose state \
            folder (.automations/state) is in this repository.

            Examples:
              automations task start test --junit report.xml
              automations task start build --dont-wait
              automations task list
            """
    )

    @Argument(
        parsing: .captureForPassthrough,
        help: "start REF… [run options] [--dont-wait] | list | logs REF, and [--api URL]"
    )
    var words: [String] = []

    func run() async throws {
        let parsed = ServerCommandWords(words)
        if parsed.printHelpIfAsked(for: Self.self) { return }
        let context = try parsed.context(command: "task " + parsed.words.joined(separator: " "))
        let verb = parsed.words.first
        if verb == "start" || verb == "run", !parsed.words.contains("--dont-wait"), let client = context.client {
            let command: Run
            do {
                command = try Run.parse(Array(parsed.words.dropFirst()))
            } catch {
                FileHandle.standardError.write(Data((Run.fullMessage(for: error) + "\n").utf8))
                throw ExitCode(ExitStatus.invalidInput)
            }
            let setup = try await RunCommandLine.setup(of: command, warmServer: client)
            RunCommandLine.finish(await RunSession(setup).execute())
        }
        let status = TaskCommands.run(parsed.words[...], arguments: ShimArguments(parsed.words), context: context)
        if status != 0 { throw ExitCode(status) }
    }
}
