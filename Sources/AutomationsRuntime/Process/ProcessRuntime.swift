import AutomationsModel
import CAutomationsSystem
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starting commands and cleaning up after them: the entry points of the process layer.
public enum ProcessRuntime {
    /// Starts `spec` in its own process group, with standard input from /dev/null, streaming its output to
    /// `output` — or, when a process is started and `logFile` gives a descriptor, with its standard output and error
    /// going straight to that file (closed here once the command has started; nothing of the output passes through
    /// the runner). `logFile` is not asked for commands that start no process (`true`).
    /// - Throws: ``SpawnError`` when no process could be created (for example a missing working directory).
    public static func start(
        _ spec: CommandSpec,
        output: any CommandOutputSink,
        logFile: (() -> Int32?)? = nil
    ) throws(SpawnError) -> RunningCommand {
        try ProcessEventLoop.shared.spawn(spec, sink: output, outputFile: logFile)
    }

    /// Runs `spec` to its end: until its first process has exited and no process of its group is left.
    public static func run(
        _ spec: CommandSpec,
        output: any CommandOutputSink
    ) async throws(SpawnError)
        -> CommandResult
    {
        try await start(spec, output: output).wait()
    }

    /// Runs `operation` with its tasks on the runtime's I/O thread: waiting for a command costs no hand-over between
    /// threads. Work in it must not block for long (it holds up all command output meanwhile).
    public static func onIOThread<Result: Sendable>(_ operation: @Sendable () async -> Result) async -> Result {
        await withTaskExecutorPreference(ProcessEventLoop.shared.loop, operation: operation)
    }

    /// Makes this process a child subreaper, so that processes that leave their command's group (`setsid`, double
    /// forks, `nohup … &`) are re-parented to it and can be found and stopped. Returns false where the platform
    /// has none (the POSIX backend) or the kernel refuses.
    @discardableResult
    public static func becomeSubreaper() -> Bool {
        Platform.becomeSubreaper()
    }

    /// The path of the running executable (for starting the watchdog, and the CLI stand-in's links).
    public static var ownExecutable: String { Platform.ownExecutable }

    /// Kills and reaps every process that descends from this one but belongs to no running command: processes that
    /// escaped their command's group and were adopted through the subreaper, and their descendants.
    /// Processes of commands still running are left alone.
    /// - Returns: the pids that were killed.
    @discardableResult
    public static func sweepEscapedProcesses() async -> [Int32] {
        let loop = ProcessEventLoop.shared
        var killed: Set<Int32> = []
        for _ in 0..<500 {
            guard let adopted = loop.adoptedChildren() else {
                try? await Task.sleep(for: .milliseconds(1))
                continue
            }
            if adopted.isEmpty { break }
            let table = ProcessTable.all()
            // Members of a command that is still watched (its background processes, adopted after its shell
            // exited) belong to that command, which ends or stops them itself.
            let watched = loop.watchedGroups
            let roots = adopted.filter { pid in !watched.contains(table.first { $0.pid == pid }?.group ?? -1) }
            let victims = ProcessTable.descendants(of: roots, in: table).filter {
                $0.state != "Z" && !watched.contains($0.group)
            }
            for victim in victims where kill(victim.pid, SIGKILL) == 0 {
                killed.insert(victim.pid)
            }
            loop.reapAdoptedChildren()
            let unreaped = (loop.adoptedChildren() ?? []).filter { pid in
                ProcessTable.entry(pid).map { !watched.contains($0.group) } ?? false
            }
            if victims.isEmpty && unreaped.isEmpty { break }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return killed.sorted()
    }
}
