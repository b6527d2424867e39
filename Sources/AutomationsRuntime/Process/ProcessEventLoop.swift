import AutomationsModel
import CAutomationsSystem
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The one I/O thread of the runtime: it watches every command's output pipes and exit (pidfd) with epoll, so
/// that running many commands costs no thread and no polling loop per command.
package final class ProcessEventLoop: Sendable {
    /// The loop every command of this process uses.
    package static let shared = ProcessEventLoop()

    private let epollDescriptor: Int32
    private let registry = Mutex(Registry())
    private static let readBufferSize = 64 * 1024
    /// At most this much is drained from a finished command's pipes, in case a process outside the group keeps
    /// writing to them.
    private static let drainLimit = 16 * 1024 * 1024

    private struct Registry: ~Copyable {
        var commands: [UInt64: RunningCommand] = [:]
        /// Leaders not reaped yet: never reaped by the sweep of adopted children.
        var unreapedLeaders: Set<Int32> = []
        var lingering: Set<UInt64> = []
        var nextID: UInt64 = 1
        var spawnsInFlight = 0
    }

    /// Jobs of tasks that prefer this loop as their executor, run between rounds of I/O.
    private let jobs = Mutex<[UnownedJob]>([])
    /// Written to wake the loop when a job is enqueued from another thread.
    private let wakeDescriptor: Int32
    private static let wakeToken = UInt64.max
    private let loopThread = Mutex<pthread_t?>(nil)

    private init() {
        epollDescriptor = automations_epoll_create()
        precondition(epollDescriptor >= 0, "epoll_create1 failed: \(errno)")
        wakeDescriptor = automations_eventfd()
        automations_epoll_add(epollDescriptor, wakeDescriptor, Self.wakeToken)
        let thread = Thread { [self] in self.runLoop() }
        thread.name = "automations-io"
        thread.start()
    }

    // MARK: - Spawning

    /// Starts `spec` in its own process group and begins watching it.
    /// - Throws: ``SpawnError`` when no process could be created.
    package func spawn(_ spec: CommandSpec, sink: any CommandOutputSink) throws(SpawnError) -> RunningCommand {
        // A builtin still needs its working directory, as bash would (a missing one fails the same way).
        if let status = LaunchPlan.builtinStatus(of: spec.command), Self.isSearchableDirectory(spec.workingDirectory) {
            return RunningCommand.finished(command: spec.command, termination: .exited(status))
        }
        var plan = LaunchPlan.make(for: spec)
        var outputPipe: [Int32] = [-1, -1]
        var errorPipe: [Int32] = [-1, -1]
        guard automations_pipe(&outputPipe) == 0 else { throw SpawnError(command: spec.command, errorNumber: errno) }
        guard automations_pipe(&errorPipe) == 0 else {
            let number = errno
            close(outputPipe[0])
            close(outputPipe[1])
            throw SpawnError(command: spec.command, errorNumber: number)
        }
        let id = registry.withLock { registry -> UInt64 in
            registry.spawnsInFlight += 1
            registry.nextID += 1
            return registry.nextID
        }
        let startedAt = Date()
        let startInstant = ContinuousClock.now
        var pid: Int32 = 0
        var result = Self.spawn(plan, in: spec.workingDirectory, stdout: outputPipe[1], stderr: errorPipe[1], pid: &pid)
        if result != 0 && plan.isDirect {
            // A file that cannot be executed directly (no #! line, say): bash handles it as it would.
            plan = LaunchPlan.shellPlan(for: spec)
            result = Self.spawn(plan, in: spec.workingDirectory, stdout: outputPipe[1], stderr: errorPipe[1], pid: &pid)
        }
        close(outputPipe[1])
        close(errorPipe[1])
        guard result == 0 else {
            close(outputPipe[0])
            close(errorPipe[0])
            registry.withLock { $0.spawnsInFlight -= 1 }
            throw SpawnError(command: spec.command, errorNumber: result)
        }
        for descriptor in [outputPipe[0], errorPipe[0]] {
            automations_set_nonblocking(descriptor)
        }
        let pidDescriptor = automations_pidfd_open(pid)
        let command = RunningCommand(
            id: id,
            processGroup: pid,
            command: spec.command,
            isDirect: plan.isDirect,
            pidDescriptor: pidDescriptor,
            outputDescriptors: [outputPipe[0], errorPipe[0]],
            sink: sink,
            startedAt: startedAt,
            startInstant: startInstant
        )
        registry.withLock { registry in
            registry.commands[id] = command
            registry.unreapedLeaders.insert(pid)
            registry.spawnsInFlight -= 1
        }
        automations_epoll_add(epollDescriptor, outputPipe[0], id << 2 | 1)
        automations_epoll_add(epollDescriptor, errorPipe[0], id << 2 | 2)
        automations_epoll_add(epollDescriptor, pidDescriptor, id << 2)
        return command
    }

    private static func isSearchableDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR && access(path, X_OK) == 0
    }

    private static func spawn(
        _ plan: LaunchPlan,
        in directory: String,
        stdout: Int32,
        stderr: Int32,
        pid: inout Int32
    )
        -> Int32
    {
        let arguments = plan.arguments.map { strdup($0) } + [nil]
        let overridden = Set(plan.overrides.map(\.0))
        let extra = plan.overrides.map { strdup("\($0.0)=\($0.1)") }
        defer {
            for pointer in arguments { free(pointer) }
            for pointer in extra { free(pointer) }
        }
        return EnvironmentBlocks.shared.withBlock(for: plan.environment) { base in
            let environment = base.filter { !overridden.contains($0.name) }.map(\.pointer) + extra + [nil]
            return automations_spawn(&pid, plan.executable, arguments, environment, directory, stdout, stderr)
        }
    }

    // MARK: - The loop

    private func runLoop() {
        var tokens = [UInt64](repeating: 0, count: 256)
        var flags = [UInt32](repeating: 0, count: 256)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.readBufferSize, alignment: 16)
        loopThread.withLock { $0 = pthread_self() }
        while true {
            runQueuedJobs()
            let timeout = jobs.withLock { $0.isEmpty } ? lingerTimeoutMilliseconds() : 0
            let count = automations_epoll_wait(epollDescriptor, &tokens, &flags, Int32(tokens.count), timeout)
            if count < 0 {
                if errno != EINTR { usleep(1000) }
                continue
            }
            for index in 0..<Int(count) {
                if tokens[index] == Self.wakeToken {
                    var value: UInt64 = 0
                    _ = Glibc.read(wakeDescriptor, &value, 8)
                    continue
                }
                let id = tokens[index] >> 2
                guard let command = registry.withLock({ $0.commands[id] }) else { continue }
                switch tokens[index] & 3 {
                case 0: leaderExited(command)
                default: readOutput(command, stream: Int(tokens[index] & 3) - 1, buffer: buffer)
                }
            }
            checkLingering()
        }
    }

    /// Runs queued jobs, and the jobs they enqueue, for a bounded number of rounds before I/O is looked at again.
    private func runQueuedJobs() {
        let executor = asUnownedTaskExecutor()
        for _ in 0..<64 {
            let batch = jobs.withLock { jobs -> [UnownedJob] in
                let batch = jobs
                jobs.removeAll(keepingCapacity: true)
                return batch
            }
            if batch.isEmpty { return }
            for job in batch { job.runSynchronously(on: executor) }
        }
    }

    private func readOutput(_ command: RunningCommand, stream: Int, buffer: UnsafeMutableRawBufferPointer) {
        let descriptor = command.io.withLock { $0.outputDescriptors[stream] }
        guard descriptor >= 0 else { return }
        let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
        if count > 0 {
            command.sink.receive(
                UnsafeRawBufferPointer(rebasing: buffer[0..<count]),
                from: stream == 0 ? .stdout : .stderr
            )
        } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
            closeOutput(command, stream: stream)
        }
    }

    private func closeOutput(_ command: RunningCommand, stream: Int) {
        let descriptor = command.io.withLock { io -> Int32 in
            let descriptor = io.outputDescriptors[stream]
            io.outputDescriptors[stream] = -1
            return descriptor
        }
        guard descriptor >= 0 else { return }
        automations_epoll_remove(epollDescriptor, descriptor)
        close(descriptor)
    }

    private func leaderExited(_ command: RunningCommand) {
        guard command.reapLeader() else { return }
        let pidDescriptor = command.io.withLock { io -> Int32 in
            let descriptor = io.pidDescriptor
            io.pidDescriptor = -1
            return descriptor
        }
        if pidDescriptor >= 0 {
            automations_epoll_remove(epollDescriptor, pidDescriptor)
            close(pidDescriptor)
        }
        registry.withLock { _ = $0.unreapedLeaders.remove(command.processGroup) }
        if Self.groupIsEmpty(command.processGroup) {
            complete(command)
        } else {
            command.io.withLock { io in
                io.lingerDelay = .milliseconds(1)
                io.nextLingerCheck = .now + io.lingerDelay
            }
            registry.withLock { _ = $0.lingering.insert(command.id) }
        }
    }

    /// Drains what the pipes hold, closes them and finishes the command.
    private func complete(_ command: RunningCommand) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.readBufferSize, alignment: 16)
        defer { buffer.deallocate() }
        for stream in 0..<2 {
            var drained = 0
            while drained < Self.drainLimit {
                let descriptor = command.io.withLock { $0.outputDescriptors[stream] }
                guard descriptor >= 0 else { break }
                let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
                guard count > 0 else { break }
                drained += count
                command.sink.receive(
                    UnsafeRawBufferPointer(rebasing: buffer[0..<count]),
                    from: stream == 0 ? .stdout : .stderr
                )
            }
            closeOutput(command, stream: stream)
        }
        registry.withLock { registry in
            registry.commands[command.id] = nil
            registry.lingering.remove(command.id)
        }
        command.finish()
    }

    // MARK: - Groups that outlive their first process

    private func lingerTimeoutMilliseconds() -> Int32 {
        let lingering = registry.withLock { registry in registry.lingering.compactMap { registry.commands[$0] } }
        guard !lingering.isEmpty else { return -1 }
        let now = ContinuousClock.now
        let next = lingering.map { command in command.io.withLock { $0.nextLingerCheck } }.min()!
        return next <= now ? 0 : Int32(max(1, (next - now).milliseconds))
    }

    private func checkLingering() {
        let lingering = registry.withLock { registry in registry.lingering.compactMap { registry.commands[$0] } }
        guard !lingering.isEmpty else { return }
        let now = ContinuousClock.now
        var reaped = false
        for command in lingering where command.io.withLock({ $0.nextLingerCheck }) <= now {
            if !reaped {
                // Members whose parent died were adopted by this process (a subreaper): reap their zombies.
                reapAdoptedChildren()
                reaped = true
            }
            if Self.groupIsEmpty(command.processGroup) {
                complete(command)
            } else {
                command.io.withLock { io in
                    io.lingerDelay = min(io.lingerDelay * 2, .milliseconds(50))
                    io.nextLingerCheck = now + io.lingerDelay
                }
            }
        }
    }

    private static func groupIsEmpty(_ group: Int32) -> Bool {
        kill(-group, 0) == -1 && errno == ESRCH
    }

    /// Reaps every child of this process that the runtime does not watch as a command's first process:
    /// processes adopted as a subreaper. Never a wildcard wait: each is waited for by its pid.
    /// - Returns: the children that were reaped.
    @discardableResult
    package func reapAdoptedChildren() -> [Int32] {
        let children = ProcessTable.childrenOfSelf()
        guard !children.isEmpty else { return [] }
        return registry.withLock { registry -> [Int32] in
            // A spawn in flight may have a child that is not registered yet: leave everything for next time.
            guard registry.spawnsInFlight == 0 else { return [] }
            var reaped: [Int32] = []
            for child in children where !registry.unreapedLeaders.contains(child) {
                var status: Int32 = 0
                if waitpid(child, &status, WNOHANG) == child { reaped.append(child) }
            }
            return reaped
        }
    }

    /// The children of this process that are not the first process of a watched command.
    package func adoptedChildren() -> [Int32]? {
        let children = ProcessTable.childrenOfSelf()
        return registry.withLock { registry -> [Int32]? in
            guard registry.spawnsInFlight == 0 else { return nil }
            return children.filter { !registry.unreapedLeaders.contains($0) }
        }
    }

    /// The process groups of commands still watched.
    package var watchedGroups: Set<Int32> {
        registry.withLock { registry in Set(registry.commands.values.map(\.processGroup)) }
    }
}

// MARK: - Running tasks on the I/O thread

extension ProcessEventLoop: TaskExecutor {
    /// Tasks that prefer this executor (`withTaskExecutorPreference`) run on the I/O thread, between rounds of
    /// I/O: a command's end resumes the waiting task on the same thread, with no hand-over to another thread.
    package func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let onLoop = loopThread.withLock { thread in thread.map { pthread_equal($0, pthread_self()) != 0 } ?? false }
        jobs.withLock { $0.append(unowned) }
        if !onLoop {
            var one: UInt64 = 1
            _ = Glibc.write(wakeDescriptor, &one, 8)
        }
    }
}
