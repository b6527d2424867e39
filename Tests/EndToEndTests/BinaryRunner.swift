import AutomationsModel
import AutomationsRuntime
import AutomationsTestSupport
import Foundation
import Synchronization

/// Runs the built `automations` binary and captures what a user would see: exit status, stdout, stderr.
///
/// It goes through the runtime, like every process the tests start: the runtime reaps the processes it adopts,
/// and would take the exit status of a child it does not know.
struct BinaryRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `automations` executable next to the test bundle.
    static var executable: String {
        let bundle = Bundle.main.bundleURL
        let candidates = [bundle, bundle.deletingLastPathComponent()].map {
            $0.appendingPathComponent("automations").path
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    static let environment: [String: String] = [
        "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
        "HOME": NSTemporaryDirectory(),
        // A result cache of this test process's own: no run reuses what another test run stored.
        "XDG_CACHE_HOME": NSTemporaryDirectory() + "automations-tests-\(getpid())-cache",
        "LANG": "C.UTF-8",
        "TERM": "dumb",
        "AUTOMATIONS_TEST_PROCESS": "1",
    ].merging(TestEnvironment.backendChoice) { $1 }

    /// Runs `automations ARGUMENTS` in `directory` with `stdin` as its standard input and waits for it.
    static func run(
        _ arguments: [String],
        in directory: String,
        stdin: String = "",
        environment: [String: String] = [:]
    ) async throws -> Result {
        let command = try start(arguments, in: directory, stdin: stdin, environment: environment)
        let result = await command.running.wait()
        try? FileManager.default.removeItem(atPath: command.input)
        return Result(
            status: result.termination.shellStatus,
            stdout: command.output.stdoutText,
            stderr: command.output.stderrText
        )
    }

    /// Starts `automations ARGUMENTS`; the caller waits for it or signals it.
    static func start(
        _ arguments: [String],
        in directory: String,
        stdin: String = "",
        environment: [String: String] = [:]
    ) throws -> (running: RunningCommand, output: CollectingSink, input: String) {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-in-\(UUID().uuidString)").path
        try stdin.write(toFile: input, atomically: false, encoding: .utf8)
        let words = ([executable] + arguments).map(quote).joined(separator: " ")
        let sink = CollectingSink()
        let spec = CommandSpec(
            command: "exec \(words) < \(quote(input))",
            workingDirectory: directory,
            environment: Self.environment.merging(environment) { $1 }
        )
        return (try ProcessRuntime.start(spec, output: sink), sink, input)
    }

    /// Runs any shell command through the runtime (for checks such as xmllint).
    static func runProgram(_ command: String, in directory: String = "/") async throws -> Result {
        let sink = CollectingSink()
        let spec = CommandSpec(command: command, workingDirectory: directory, environment: environment)
        let result = try await ProcessRuntime.start(spec, output: sink).wait()
        return Result(status: result.termination.shellStatus, stdout: sink.stdoutText, stderr: sink.stderrText)
    }

    static func quote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
