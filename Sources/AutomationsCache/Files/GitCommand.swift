import AutomationsModel
import AutomationsRuntime
import Foundation
import Synchronization

/// Runs git and collects what it prints, through the runtime (the same spawning and reaping as every command).
enum GitCommand {
    /// Standard output of `git ARGUMENTS` in `directory`; `nil` when git fails or is missing.
    static func output(_ arguments: [String], in directory: String, environment: [String: String]) async -> [UInt8]? {
        let words = (["git", "-C", directory] + arguments).map(quote).joined(separator: " ")
        let collected = CollectedOutput()
        let spec = CommandSpec(
            command: "exec " + words + " 2>/dev/null",
            workingDirectory: "/",
            environment: environment
        )
        guard let command = try? ProcessRuntime.start(spec, output: collected) else { return nil }
        guard let result = await command.wait(upTo: .seconds(60)) else {
            _ = await command.stop(grace: .seconds(1))
            return nil
        }
        return result.termination.isSuccess ? collected.bytes : nil
    }

    private static func quote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// The commit checked out in the repository around `directory` (short), `nil` outside one.
package enum GitHead {
    package static func commit(in directory: String, environment: [String: String]) async -> String? {
        guard
            let bytes = await GitCommand.output(
                ["rev-parse", "--short", "HEAD"],
                in: directory,
                environment: environment
            )
        else { return nil }
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}

/// Standard output, kept whole.
final class CollectedOutput: CommandOutputSink {
    private let storage = Mutex<[UInt8]>([])

    func receive(_ bytes: UnsafeRawBufferPointer, from stream: OutputStreamKind) {
        guard stream == .stdout else { return }
        storage.withLock { $0.append(contentsOf: bytes) }
    }

    var bytes: [UInt8] { storage.withLock { $0 } }
}
