import ArgumentParser
import AutomationsRuntime
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
            not write, and `uninstall` removes only its own.

            Examples:
              automations hook install pre-push test lint
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

    /// The line that marks a hook this command wrote.
    static let marker = "# written by `automations hook install`"

    func run() throws {
        let hooks = try Self.hooksFolder(from: FileManager.default.currentDirectoryPath)
        let path = hooks + "/" + hook.rawValue
        let existing = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
        let ours = existing?.contains(Self.marker) ?? false
        switch action {
        case .install:
            if existing != nil && !ours {
                throw fail("\(path) exists and was not written by automations; move it away first")
            }
            try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true)
            try AtomicFile.write(script(), to: path)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
            print("installed \(path)")
        case .uninstall:
            guard existing != nil else { throw fail("there is no \(path)") }
            guard ours else { throw fail("\(path) was not written by automations; it is left as it is") }
            try FileManager.default.removeItem(atPath: path)
            print("removed \(path)")
        }
    }

    private func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        return ExitCode(ExitStatus.invalidInput)
    }

    private func script() -> String {
        let words = references.map(BinaryWords.quote).joined(separator: " ")
        return """
            #!/bin/sh
            \(Self.marker); `automations hook uninstall \(hook.rawValue)` removes it.
            # Runs the tasks through a running `automations serve` (warm services) when there is one, else with run.
            AUTOMATIONS="${AUTOMATIONS:-\(BinaryWords.quote(RunSession.ownExecutable))}"
            if "$AUTOMATIONS" service list >/dev/null 2>&1; then
                exec "$AUTOMATIONS" task start \(words)
            else
                exec "$AUTOMATIONS" run \(words)
            fi

            """
    }

    /// The hooks folder of the Git repository around `directory` (a worktree's `.git` file is followed).
    static func hooksFolder(from directory: String) throws -> String {
        var current = URL(fileURLWithPath: directory).standardizedFileURL
        while true {
            let git = current.appendingPathComponent(".git").path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: git, isDirectory: &isDirectory) {
                if isDirectory.boolValue { return git + "/hooks" }
                let text = (try? String(contentsOfFile: git, encoding: .utf8)) ?? ""
                if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("gitdir: ") }) {
                    let target = String(line.dropFirst("gitdir: ".count))
                    let absolute = target.hasPrefix("/") ? target : current.appendingPathComponent(target).path
                    // A worktree's hooks are the main repository's.
                    let common = (try? String(contentsOfFile: absolute + "/commondir", encoding: .utf8))?
                        .trimmingCharacters(in: .whitespacesAndNewlines)
                    if let common {
                        let base = common.hasPrefix("/") ? common : absolute + "/" + common
                        return URL(fileURLWithPath: base).standardizedFileURL.path + "/hooks"
                    }
                    return absolute + "/hooks"
                }
            }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path {
                FileHandle.standardError.write(Data("error: \(directory) is not inside a Git repository\n".utf8))
                throw ExitCode(ExitStatus.invalidInput)
            }
            current = parent
        }
    }
}

/// Shell quoting for words written into scripts.
enum BinaryWords {
    static func quote(_ word: String) -> String {
        let safe = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./:@=".contains($0) }
        return safe && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
