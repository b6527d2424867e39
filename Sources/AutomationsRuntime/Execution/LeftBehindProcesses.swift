import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Processes task steps left running after their commands exited (`cmd &`, `nohup`, `setsid`, a double fork): the
/// rest of each command's process group, and processes that left their group but carry the run's id and the
/// step's name in their environment (``CommandSpec/stepVariable``).
enum LeftBehindProcesses {
    /// Counts what each task step left, then stops it all: SIGTERM, and SIGKILL to whatever is still there after
    /// `grace`. Returns when none of it is left.
    /// - Returns: how many processes each step left (steps that left none are absent).
    static func stop(
        commands: [String: [RunningCommand]],
        taskSteps: Set<String>,
        runID: String?,
        grace: Duration
    ) async -> [String: Int] {
        let table = ProcessTable.all().filter { $0.state != "Z" }
        var counts: [String: Int] = [:]
        let groups = commands.flatMap { step, commands in commands.map { (step, $0) } }.filter { $0.1.result == nil }
        for (step, command) in groups {
            let members = table.filter { $0.group == command.processGroup }.count
            if members > 0 { counts[step, default: 0] += members }
        }
        let escaped = runID.map { escapedProcesses(in: table, runID: $0, taskSteps: taskSteps) } ?? [:]
        for step in escaped.values { counts[step, default: 0] += 1 }
        for pid in escaped.keys { kill(pid, SIGTERM) }
        await withTaskGroup(of: Void.self) { tasks in
            for (_, command) in groups {
                tasks.addTask { _ = await command.stop(grace: grace) }
            }
            if !escaped.isEmpty {
                tasks.addTask { await stopEscaped(Array(escaped.keys), grace: grace) }
            }
        }
        return counts
    }

    /// Processes of the run outside every watched group whose step is one of `taskSteps`, by pid.
    private static func escapedProcesses(
        in table: [ProcessTable.Entry],
        runID: String,
        taskSteps: Set<String>
    ) -> [Int32: String] {
        let watched = ProcessEventLoop.shared.watchedGroups
        var found: [Int32: String] = [:]
        for entry in table where entry.pid != getpid() && !watched.contains(entry.group) {
            guard ProcessTable.environmentValue(of: entry.pid, RunWatchdog.variable) == runID,
                let step = ProcessTable.environmentValue(of: entry.pid, CommandSpec.stepVariable),
                taskSteps.contains(step)
            else { continue }
            found[entry.pid] = step
        }
        return found
    }

    /// Waits until the processes are gone (reaping those adopted by this process), up to `grace`; then kills the rest.
    private static func stopEscaped(_ pids: [Int32], grace: Duration) async {
        let deadline = ContinuousClock.now + grace
        var alive = pids
        while !alive.isEmpty {
            ProcessEventLoop.shared.reapAdoptedChildren()
            alive = alive.filter { ProcessTable.entry($0).map { $0.state != "Z" } ?? false }
            if alive.isEmpty { return }
            if ContinuousClock.now >= deadline {
                for pid in alive { kill(pid, SIGKILL) }
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}
