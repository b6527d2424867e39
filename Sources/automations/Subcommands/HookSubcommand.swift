import ArgumentParser
import AutomationsRun
import Foundation

/// `automations hook install|uninstall pre-push [REF...]`: a Git hook that runs tasks before a push, through a
/// running `serve` (warm services) when there is one, else with `automations run`.
struct HookSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "Install or remove a Git hook (pre-push, pre-commit) that runs tasks.",
        discussion: """
            The hook runs `automations task start REF…` when an `automations serve` runs for the repository (its \
            services stay warm between checks), else `automations run REF…`. It refuses to overwrite a hook it did \
            not write, and `uninstall` removes only its own. A pre-push hook runs only what the pushed commits \
            affect (the tasks whose runner-file sources they touch, and what depends on them), unless --all.

            Examples:
              automations hook install pre-push test lint
              automations hook install pre-push --skip-during rebase,merge
              automations hook uninstall pre-push
            """
    )

    enum Action: String, ExpressibleByArgument, CaseIterable {
        case install
        case uninstall
    }

    enum HookName: String, ExpressibleByArgument, CaseIterable {
        case prePush = "pre-push"
        case preCommit = "pre-commit"
    }

    @Argument(help: "install or uninstall.")
    var action: Action

    @Argument(help: "The hook: pre-push or pre-commit.")
    var hook: HookName

    @Argument(help: "The tasks (or services) the hook runs; none: what `automations run` runs by default.")
    var references: [String] = []

    @Flag(help: "pre-push: run everything, not only what the pushed commits affect.")
    var all = false

    @Option(
        help: ArgumentHelp(
            "Run nothing while one of these is in progress: rebase, merge (comma-separated).",
            valueName: "operations"
        )
    )
    var skipDuring: String?

    func run() throws {
        let operations = skipDuring.map { $0.split(separator: ",").map(String.init) } ?? []
        for operation in operations where operation != "rebase" && operation != "merge" {
            FileHandle.standardError.write(Data("error: --skip-during '\(operation)': rebase or merge\n".utf8))
            throw ExitCode(ExitStatus.invalidInput)
        }
        let hook = GitHook(name: hook.rawValue, references: references, all: all, skipDuring: operations)
        let directory = FileManager.default.currentDirectoryPath
        do {
            switch action {
            case .install: print("installed \(try hook.install(from: directory))")
            case .uninstall: print("removed \(try hook.uninstall(from: directory))")
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.invalidInput)
        }
    }
}
