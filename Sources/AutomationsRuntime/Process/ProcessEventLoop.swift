import AutomationsModel
import CAutomationsSystem
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process bookkeeping of the runtime: it spawns commands, and on its ``IOLoop`` (the one I/O thread) reads
/// their output, reaps their first process, and finishes each command once its group is empty. Running many
/// commands costs no thread and no polling loop per command. How an exit is seen is the platform's
/// (``Platform/exitWatch``): a descriptor per process, or SIGCHLD and a `waitpid` of each first process.
package final class ProcessEventLoop: Sendable {
    /// The loop every command of this process uses.
    package static let shared = ProcessEventLoop()

    /// The I/O thread; tasks that prefer it as their executor run there.
    let loop: IOLoop
    let registry = Mutex(Registry())
    /// How exits are seen, chosen once.
    let exitWatch = Platform.exitWatch
    /// Where exits are seen through SIGCHLD: the commands registered since the I/O thread last looked (one may
    /// have exited before it was registered, its SIGCHLD already consumed).
    let unchecked = Mutex<[UInt64]>([])
    /// Where exits are seen through SIGCHLD: when the first processes were last all looked at.
    nonisolated(unsafe) var lastFullCheck = ContinuousClock.now
    /// Set on the I/O thread when a command's output reached its end before its exit was seen.
    nonisolated(unsafe) private var exitExpectedSoon = false
    /// The descriptor that reads as ready after SIGCHLD (``Platform/ExitWatch/childSignal``), or -1.
    let childSignalDescriptor: Int32
    private static let readBufferSize = 64 * 1024
    /// At most this much is drained from a finished command's pipes, in case a process outside the group keeps
    /// writing to them.
    private static let drainLimit = 16 * 1024 * 1024

    struct Registry: ~Copyable {
        var commands: [UInt64: RunningCommand] = [:]
        /// Leaders not reaped yet: never reaped by the sweep of adopted children.
        var unreapedLeaders: Set<Int32> = []
        /// Commands whose first process has exited while their group still has members.
        var lingering: Set<UInt64> = []
        var nextID: UInt64 = 1
        var spawnsInFlight = 0
    }

    private init() {
        loop = IOLoop(name: "automations-io")
        Platform.announceIfAsked()
        if exitWatch == .childSignal {
            let descriptor = Platform.makeChildSignalDescriptor()
            precondition(descriptor >= 0, "cannot watch SIGCHLD: errno \(errno)")
            loop.watch(descriptor, as: WatchToken(commandID: 0, source: .childSignal))
            childSignalDescriptor = descriptor
        } else {
            childSignalDescriptor = -1
        }
        loop.start(delegate: self)
    }

    // MARK: - Spawning

    /// Starts `spec` in its own process group and begins watching it. Its output is read into `sink`, or, when
    /// `outputFile` gives a descriptor, written by the command straight to that file (closed once it started).
    /// - Throws: ``SpawnError`` when no process could be created.
    package func spawn(
        _ spec: CommandSpec,
        sink: any CommandOutputSink,
        outputFile: (() -> Int32?)? = nil
    ) throws(SpawnError) -> RunningCommand {
        // A builtin still needs its working directory, as bash would (a missing one fails the same way).
        if let status = LaunchPlan.builtinStatus(of: spec.command),
            LaunchPlan.isSearchableDirectory(spec.workingDirectory)
        {
            return RunningCommand.finished(command: spec.command, termination: .exited(status))
        }
        var plan = LaunchPlan.make(for: spec)
        let file = outputFile?() ?? -1
        defer { if file >= 0 { close(file) } }
        let pipes = file < 0 ? try OutputPipes(command: spec.command) : nil
        let stdout = pipes?.output[1] ?? file
        let stderr = pipes?.error[1] ?? file
        let id = registry.withLock { registry -> UInt64 in
            registry.spawnsInFlight += 1
            registry.nextID += 1
            return registry.nextID
        }
        let startedAt = Date()
        let startInstant = ContinuousClock.now
        var pid: Int32 = 0
        var result = plan.spawn(in: spec.workingDirectory, stdout: stdout, stderr: stderr, pid: &pid)
        if result != 0 && plan.isDirect {
            // A file that cannot be executed directly (no #! line, say): bash handles it as it would.
            plan = LaunchPlan.shellPlan(for: spec)
            result = plan.spawn(in: spec.workingDirectory, stdout: stdout, stderr: stderr, pid: &pid)
        }
        pipes?.closeWriteEnds()
        guard result == 0 else {
            pipes?.closeReadEnds()
            registry.withLock { $0.spawnsInFlight -= 1 }
            throw SpawnError(command: spec.command, errorNumber: result)
        }
        let readEnds: [Int32] = pipes.map { [$0.output[0], $0.error[0]] } ?? [-1, -1]
        for descriptor in readEnds where descriptor >= 0 {
            automations_set_nonblocking(descriptor)
        }
        var pidDescriptor: Int32 = -1
        if exitWatch == .processDescriptor {
            pidDescriptor = Platform.exitDescriptor(for: pid)
            if pidDescriptor < 0 {
                // Out of descriptors, say: a command whose end could not be seen must not run.
                let number = errno
                abandon(group: pid, pipes: pipes, readEnds: readEnds)
                throw SpawnError(command: spec.command, errorNumber: number)
            }
        }
        let command = RunningCommand(
            id: id,
            processGroup: pid,
            command: spec.command,
            isDirect: plan.isDirect,
            pidDescriptor: pidDescriptor,
            outputDescriptors: readEnds,
            sink: sink,
            startedAt: startedAt,
            startInstant: startInstant
        )
        registry.withLock { registry in
            registry.commands[id] = command
            registry.unreapedLeaders.insert(pid)
            registry.spawnsInFlight -= 1
        }
        if let pipes {
            loop.watch(pipes.output[0], as: WatchToken(commandID: id, source: .standardOutput))
            loop.watch(pipes.error[0], as: WatchToken(commandID: id, source: .standardError))
        }
        GroupRecord.started(pid)
        if pidDescriptor >= 0 {
            loop.watch(pidDescriptor, as: WatchToken(commandID: id, source: .exit))
        } else if !loop.isOnLoopThread {
            // Its SIGCHLD may have been read before it was registered: looked at once the loop goes round. (On the
            // loop's thread no SIGCHLD is read before the loop goes round anyway.)
            unchecked.withLock { $0.append(id) }
            loop.wake()
        }
        return command
    }

    /// Kills and reaps a command that was spawned but cannot be watched, and closes its pipes.
    private func abandon(group: Int32, pipes: OutputPipes?, readEnds: [Int32]) {
        kill(-group, SIGKILL)
        var status: Int32 = 0
        while waitpid(group, &status, 0) < 0 && errno == EINTR {}
        for descriptor in readEnds where descriptor >= 0 { close(descriptor) }
        registry.withLock { $0.spawnsInFlight -= 1 }
    }

    // MARK: - Output and exit

    private func readOutput(_ command: RunningCommand, stream: Int, buffer: UnsafeMutableRawBufferPointer) {
        let descriptor = command.io.withLock { $0.outputDescriptors[stream] }
        guard descriptor >= 0 else { return }
        let count = read(descriptor, buffer.baseAddress, buffer.count)
        if count > 0 {
            command.sink.receive(
                UnsafeRawBufferPointer(rebasing: buffer[0..<count]),
                from: stream == 0 ? .stdout : .stderr
            )
        } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
            closeOutput(command, stream: stream)
            // Both streams at their end usually means the process is exiting: its exit is reported a few
            // microseconds later, which the loop waits for without going to sleep (see ``expectsEventSoon``).
            if command.io.withLock({ $0.outputDescriptors.allSatisfy { $0 < 0 } && $0.pidDescriptor >= 0 }) {
                exitExpectedSoon = true
            }
        }
    }

    private func closeOutput(_ command: RunningCommand, stream: Int) {
        let descriptor = command.io.withLock { io -> Int32 in
            let descriptor = io.outputDescriptors[stream]
            io.outputDescriptors[stream] = -1
            return descriptor
        }
        guard descriptor >= 0 else { return }
        loop.unwatch(descriptor)
        close(descriptor)
    }

    func leaderExited(_ command: RunningCommand) {
        // The awaited exit has come: no polling for it (another command awaited at the same time is waited for asleep).
        exitExpectedSoon = false
        guard command.reapLeader() else { return }
        let pidDescriptor = command.io.withLock { io -> Int32 in
            let descriptor = io.pidDescriptor
            io.pidDescriptor = -1
            return descriptor
        }
        if pidDescriptor >= 0 {
            loop.unwatch(pidDescriptor)
            close(pidDescriptor)
        }
        registry.withLock { _ = $0.unreapedLeaders.remove(command.processGroup) }
        if Self.groupIsEmpty(command.processGroup) {
            complete(command)
        } else {
            // What the first process wrote is delivered before anyone learns that it ended.
            drain(command, closing: false)
            command.firstProcessEnded()
            startLingering(command)
        }
    }

    /// Drains what the pipes hold, closes them and finishes the command.
    func complete(_ command: RunningCommand) {
        drain(command, closing: true)
        registry.withLock { registry in
            registry.commands[command.id] = nil
            registry.lingering.remove(command.id)
        }
        GroupRecord.ended(command.processGroup)
        command.finish()
    }

    /// Reads what the pipes hold now (at most ``drainLimit`` each), and closes them with `closing`.
    private func drain(_ command: RunningCommand, closing: Bool) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.readBufferSize, alignment: 16)
        defer { buffer.deallocate() }
        for stream in 0..<2 {
            var drained = 0
            while drained < Self.drainLimit {
                let descriptor = command.io.withLock { $0.outputDescriptors[stream] }
                guard descriptor >= 0 else { break }
                let count = read(descriptor, buffer.baseAddress, buffer.count)
                guard count > 0 else { break }
                drained += count
                command.sink.receive(
                    UnsafeRawBufferPointer(rebasing: buffer[0..<count]),
                    from: stream == 0 ? .stdout : .stderr
                )
            }
            if closing { closeOutput(command, stream: stream) }
        }
    }

    static func groupIsEmpty(_ group: Int32) -> Bool {
        kill(-group, 0) == -1 && errno == ESRCH
    }

    /// The process groups of commands still watched.
    package var watchedGroups: Set<Int32> {
        registry.withLock { registry in Set(registry.commands.values.map(\.processGroup)) }
    }
}

extension ProcessEventLoop: IOLoopDelegate {
    func descriptorIsReady(_ token: WatchToken, buffer: UnsafeMutableRawBufferPointer) {
        if token.source == .childSignal {
            automations_drain(childSignalDescriptor)
            checkEveryFirstProcess()
            return
        }
        guard let command = registry.withLock({ $0.commands[token.commandID] }) else { return }
        if let stream = token.outputStream {
            readOutput(command, stream: stream, buffer: buffer)
        } else {
            leaderExited(command)
        }
    }

    func millisecondsUntilTick() -> Int32 {
        let linger = lingerTimeoutMilliseconds()
        guard let check = millisecondsUntilFullCheck() else { return linger }
        return linger < 0 ? check : min(linger, check)
    }

    func expectsEventSoon() -> Bool {
        defer { exitExpectedSoon = false }
        return exitExpectedSoon
    }

    func tick() {
        if exitWatch == .childSignal { checkFirstProcesses() }
        checkLingering()
    }
}

/// The two pipes a command's standard output and error are read from.
private struct OutputPipes {
    var output: [Int32] = [-1, -1]
    var error: [Int32] = [-1, -1]

    init(command: String) throws(SpawnError) {
        guard automations_pipe(&output) == 0 else { throw SpawnError(command: command, errorNumber: errno) }
        guard automations_pipe(&error) == 0 else {
            let number = errno
            close(output[0])
            close(output[1])
            throw SpawnError(command: command, errorNumber: number)
        }
    }

    func closeWriteEnds() {
        close(output[1])
        close(error[1])
    }

    func closeReadEnds() {
        close(output[0])
        close(error[0])
    }
}
