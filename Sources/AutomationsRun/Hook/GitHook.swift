import AutomationsRuntime
import Foundation

/// A Git hook (`pre-push`, `pre-commit`) that runs tasks through a running `automations serve` (warm services) when
/// there is one, else with `automations run`. Only hooks it wrote are replaced or removed.
package struct GitHook: Sendable {
    /// The line that marks a hook this tool wrote.
    package static let marker = "# written by `automations hook install`"

    /// `pre-push` or `pre-commit`.
    package var name: String
    /// The tasks (or services) the hook runs; none: what `automations run` runs by default.
    package var references: [String]
    /// A pre-push hook runs only what the pushed commits affect, unless `all`.
    package var all = false
    /// Run nothing while one of these is in progress (`rebase`, `merge`).
    package var skipDuring: [String] = []

    package init(name: String, references: [String], all: Bool = false, skipDuring: [String] = []) {
        self.name = name
        self.references = references
        self.all = all
        self.skipDuring = skipDuring
    }

    /// Writes the hook into the repository around `directory`; returns its path.
    package func install(from directory: String) throws(GitHookError) -> String {
        let hooks = try Self.hooksFolder(from: directory)
        let path = hooks + "/" + name
        if let existing = Self.contents(path), !existing.contains(Self.marker) { throw .notOurs(path: path) }
        do {
            try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true)
            try AtomicFile.write(script(), to: path, mode: 0o755)
        } catch {
            throw .cannotWrite(path: path, reason: "\(error)")
        }
        return path
    }

    /// Removes the hook it wrote from the repository around `directory`; returns its path.
    package func uninstall(from directory: String) throws(GitHookError) -> String {
        let path = try Self.hooksFolder(from: directory) + "/" + name
        guard let existing = Self.contents(path) else { throw .missing(path: path) }
        guard existing.contains(Self.marker) else { throw .notOursToRemove(path: path) }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw .cannotWrite(path: path, reason: "\(error)")
        }
        return path
    }

    /// The hook's shell script.
    package func script() -> String {
        var options: [String] = []
        // Git gives a pre-push hook the remote's name as $1 and one line per pushed ref on standard input.
        if name == "pre-push" && !all { options.append("--changed-by-push \"$1\"") }
        if !skipDuring.isEmpty {
            options.append("--skip-during " + ShellWords.quote(skipDuring.joined(separator: ",")))
        }
        let words = (options + references.map(ShellWords.quote)).joined(separator: " ")
        return """
            #!/bin/sh
            \(Self.marker); `automations hook uninstall \(name)` removes it.
            # Runs the tasks through a running `automations serve` (warm services) when there is one, else with run.
            AUTOMATIONS="${AUTOMATIONS:-\(ShellWords.quote(ProcessRuntime.ownExecutable))}"
            if "$AUTOMATIONS" service list >/dev/null 2>&1; then
                exec "$AUTOMATIONS" task start \(words)
            else
                exec "$AUTOMATIONS" run \(words)
            fi

            """
    }

    private static func contents(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The hooks folder of the Git repository around `directory` (a worktree's `.git` file is followed).
    package static func hooksFolder(from directory: String) throws(GitHookError) -> String {
        var current = URL(fileURLWithPath: directory).standardizedFileURL
        while true {
            let git = current.appendingPathComponent(".git").path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: git, isDirectory: &isDirectory) {
                if isDirectory.boolValue { return git + "/hooks" }
                if let linked = linkedHooksFolder(gitFile: git, in: current) { return linked }
            }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { throw .notARepository(directory) }
            current = parent
        }
    }

    /// The hooks of the repository a `.git` file (`gitdir: PATH`) points to; a worktree's are the main repository's.
    private static func linkedHooksFolder(gitFile: String, in folder: URL) -> String? {
        let text = (try? String(contentsOfFile: gitFile, encoding: .utf8)) ?? ""
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("gitdir: ") }) else { return nil }
        let target = String(line.dropFirst("gitdir: ".count))
        let absolute = target.hasPrefix("/") ? target : folder.appendingPathComponent(target).path
        let common = (try? String(contentsOfFile: absolute + "/commondir", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if let common {
            let base = common.hasPrefix("/") ? common : absolute + "/" + common
            return URL(fileURLWithPath: base).standardizedFileURL.path + "/hooks"
        }
        return absolute + "/hooks"
    }
}

/// Why a hook cannot be installed or removed.
package enum GitHookError: Error, CustomStringConvertible, Equatable {
    case notARepository(String)
    /// A hook is there that this tool did not write: it is not replaced.
    case notOurs(path: String)
    case notOursToRemove(path: String)
    case missing(path: String)
    case cannotWrite(path: String, reason: String)

    package var description: String {
        switch self {
        case .notARepository(let directory): "\(directory) is not inside a Git repository"
        case .notOurs(let path): "\(path) exists and was not written by automations; move it away first"
        case .notOursToRemove(let path): "\(path) was not written by automations; it is left as it is"
        case .missing(let path): "there is no \(path)"
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        }
    }
}

/// Shell quoting for words written into scripts.
package enum ShellWords {
    package static func quote(_ word: String) -> String {
        let safe = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./:@=".contains($0) }
        return safe && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
