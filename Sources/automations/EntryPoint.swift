import ArgumentParser
import AutomationsReports
import AutomationsRun
import Dispatch
import Foundation

/// Runs the command line and maps every outcome to the documented exit statuses:
/// 0 success, 1 a step or service failed, 2 invalid file or command line, 128+N interrupted by signal N.
@main
enum EntryPoint {
    /// The command runs in a task while the main thread waits on a semaphore. An `async` main would park the main
    /// thread in `sigsuspend` with every signal unblocked, and each command that ends (SIGCHLD, ignored but
    /// delivered) would wake it; here SIGCHLD stays blocked in every thread (see the C shim) and exits are watched
    /// as the platform seam chose (AutomationsRuntime's `Platform`).
    static func main() {
        // Called as `gitpod`, `ona` or `gp` (the links a run puts on its commands' PATH): the CLI stand-in.
        let invokedAs = URL(fileURLWithPath: CommandLine.arguments[0]).lastPathComponent
        if GitpodCLI.names.contains(invokedAs) {
            Foundation.exit(GitpodCLI.main(name: invokedAs, arguments: Array(CommandLine.arguments.dropFirst())))
        }
        if let problem = RunnerProcess.backendChoiceError {
            TerminalOutput.standardError.write("error: \(problem)\n")
            Foundation.exit(ExitStatus.invalidInput)
        }
        // A run stopped in its first milliseconds still stops in order: the signal is kept until it is watched.
        if CommandLine.arguments.dropFirst().first == "run" { SignalWatcher.keepEarlyStopSignals() }
        let finished = DispatchSemaphore(value: 0)
        Task.detached {
            await runCommandLine()
            finished.signal()
        }
        finished.wait()
        Foundation.exit(0)
    }

    private static func runCommandLine() async {
        do {
            var command = try AutomationsCommand.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    private static func exit(withError error: any Error) -> Never {
        if let exitCode = error as? ExitCode {
            Foundation.exit(exitCode.rawValue)
        }
        let code = AutomationsCommand.exitCode(for: error)
        let message = AutomationsCommand.fullMessage(for: error)
        if code == .success {
            if !message.isEmpty { print(message) }
            Foundation.exit(0)
        }
        if !message.isEmpty { TerminalOutput.standardError.write(message + "\n") }
        // argument-parser uses EX_USAGE (64) for bad command lines; our contract says 2.
        Foundation.exit(code == .validationFailure ? ExitStatus.invalidInput : code.rawValue)
    }
}
