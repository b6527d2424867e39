import ArgumentParser
import AutomationsRun

/// `automations __watchdog RUN-ID`: the helper `run` starts to clean up if the runner itself is killed.
struct Watchdog: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "__watchdog",
        abstract: "Internal: kills the processes of a run when its runner dies.",
        shouldDisplay: false
    )

    @Argument var runID: String
    /// The file in which the runner lists its process groups (the POSIX backend).
    @Option var groups: String?

    func run() throws {
        RunnerProcess.watchOver(runID: runID, groupsFile: groups)
    }
}
