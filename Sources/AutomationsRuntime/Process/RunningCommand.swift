import AutomationsModel
import CAutomationsSystem
public import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A command started by the runtime: the process group it leads, its output, and its end.
///
/// The command counts as finished when its first process has exited **and** no process of its group is left.
/// Output is read until then, including what background processes of the group write after the first process
/// exited.
public final class RunningCommand: Sendable {
    /// The pid of the first process, which is also the id of the command's process group.
    public let processGroup: Int32
    public let command: String
    /// True when the command is executed without a shell (it has no shell syntax).
    public let isDirect: Bool
    public let startedAt: Date
    let startInstant: ContinuousClock.Instant
    let id: UInt64
    let sink: any CommandOutputSink
    let io: Mutex<IOState>
    private let shared: Mutex<SharedState>
    private let waiters = WaiterList<CommandResult>()
    private let firstProcessWaiters = WaiterList<CommandResult>()

    /// Descriptors and leader state, touched by the I/O thread (and by no one else after registration).
    struct IOState: ~Copyable {
        var pidDescriptor: Int32
        var outputDescriptors: [Int32]  // [stdout, stderr]; -1 once closed
        var leaderTermination: Termination?
        var lingerDelay: Duration = .milliseconds(1)
        var nextLingerCheck: ContinuousClock.Instant = .now
    }

    private struct SharedState: ~Copyable {
        var result: CommandResult?
        /// The result as it stood when the first process exited (the group may still have members then).
        var firstProcessResult: CommandResult?
        var leaderReaped = false
        var stopRequested = false
        var killedAfterGracePeriod = false
    }

    init(
        id: UInt64,
        processGroup: Int32,
        command: String,
        isDirect: Bool,
        pidDescriptor: Int32,
        outputDescriptors: [Int32],
        sink: any CommandOutputSink,
        startedAt: Date,
        startInstant: ContinuousClock.Instant
    ) {
        self.id = id
        self.processGroup = processGroup
        self.command = command
        self.isDirect = isDirect
        self.sink = sink
        self.startedAt = startedAt
        self.startInstant = startInstant
        self.io = Mutex(IOState(pidDescriptor: pidDescriptor, outputDescriptors: outputDescriptors))
        self.shared = Mutex(SharedState())
    }

    /// A command that bash would run as a builtin without starting any process (`true`, `:`, `false`): it has
    /// already finished. `processGroup` is 0 and no signal is ever sent for it.
    static func finished(command: String, termination: Termination) -> RunningCommand {
        let now = Date()
        let running = RunningCommand(
            id: 0,
            processGroup: 0,
            command: command,
            isDirect: true,
            pidDescriptor: -1,
            outputDescriptors: [-1, -1],
            sink: DiscardingOutputSink(),
            startedAt: now,
            startInstant: .now
        )
        running.io.withLock { $0.leaderTermination = termination }
        running.finish()
        return running
    }

    // MARK: - Public API

    /// The result, once the command has finished.
    public var result: CommandResult? { shared.withLock { $0.result } }

    /// Sends `signal` to every process of the command's group; does nothing once the command has finished.
    /// - Returns: whether the signal was sent.
    @discardableResult
    public func signalGroup(_ signal: Int32) -> Bool {
        signalGroup(signal, afterGracePeriod: false)
    }

    private func signalGroup(_ signal: Int32, afterGracePeriod: Bool) -> Bool {
        shared.withLock { state in
            // While the leader is unreaped, or the group still has members, the group id cannot be reused.
            guard state.result == nil else { return false }
            if signal == SIGTERM || signal == SIGKILL || signal == SIGINT || signal == SIGHUP {
                state.stopRequested = true
            }
            if afterGracePeriod { state.killedAfterGracePeriod = true }
            return kill(-processGroup, signal) == 0
        }
    }

    /// Waits until the command has finished.
    public func wait() async -> CommandResult {
        while true {
            if let result = await waitUnlessCancelled() { return result }
            // Cancelled: this variant still waits, so that no process is left unobserved.
            if let result = self.result { return result }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Waits until the command's first process has exited, as a CI step ends when its command exits: processes it
    /// left in its group may still run (and are still watched; ``wait()`` waits for them too).
    public func waitForFirstProcess() async -> CommandResult {
        while true {
            if let result = firstProcessResult { return result }
            let ticket = firstProcessWaiters.register()
            // The I/O thread records the result before it wakes the waiters: one recorded meanwhile is seen here.
            if let result = firstProcessResult {
                firstProcessWaiters.withdraw(ticket)
                return result
            }
            if let result = await firstProcessWaiters.wait(ticket) { return result }
            // Cancelled: this variant still waits, so that no process is left unobserved.
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// The result as it stood when the first process exited; `nil` while it runs.
    public var firstProcessResult: CommandResult? { shared.withLock { $0.firstProcessResult } }

    /// Whether processes of the command's group are still running after its first process exited.
    public var hasProcessesLeft: Bool { result == nil && firstProcessResult != nil }

    /// Waits until the command has finished or `timeout` has passed (`nil`).
    public func wait(upTo timeout: Duration) async -> CommandResult? {
        if let result { return result }
        return await withTaskGroup(of: CommandResult?.self) { group in
            group.addTask { await self.waitUnlessCancelled() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? self.result
        }
    }

    /// Stops the command: SIGTERM to its group, then SIGKILL to the group if anything of it is still there after
    /// `grace`. Returns when no process of the group is left.
    /// ``CommandResult/wasKilledAfterGracePeriod`` tells which way it ended.
    public func stop(grace: Duration) async -> CommandResult {
        signalGroup(SIGTERM)
        if let result = await wait(upTo: grace) { return result }
        _ = signalGroup(SIGKILL, afterGracePeriod: true)
        return await wait()
    }

    /// Waits for the end; `nil` when the calling task is cancelled first.
    public func waitUnlessCancelled() async -> CommandResult? {
        if let result { return result }
        let ticket = waiters.register()
        // `finish()` records the result before it wakes the waiters: one that finished meanwhile is seen here.
        if let result {
            waiters.withdraw(ticket)
            return result
        }
        return await waiters.wait(ticket)
    }

    // MARK: - I/O thread

    /// Reaps the first process if it has exited. Returns false when it has not exited yet.
    func reapLeader() -> Bool {
        var status: Int32 = 0
        let reaped = shared.withLock { state -> Bool in
            let pid = waitpid(processGroup, &status, WNOHANG)
            if pid == 0 { return false }
            if pid < 0 { status = -1 }  // reaped by someone else: nothing more to learn
            state.leaderReaped = true
            return true
        }
        guard reaped else { return false }
        var code: Int32 = 0
        let kind = status == -1 ? -1 : automations_decode_status(status, &code)
        let termination: Termination = kind == 1 ? .signaled(code) : .exited(kind == 0 ? code : -1)
        io.withLock { $0.leaderTermination = termination }
        return true
    }

    /// Records that the first process has exited while its group lives on (its output so far is read) and wakes
    /// those waiting for it.
    func firstProcessEnded() {
        let termination = io.withLock { $0.leaderTermination } ?? .exited(-1)
        let result = shared.withLock { state in
            let result = makeResult(termination, state: state)
            state.firstProcessResult = result
            return result
        }
        firstProcessWaiters.resume(with: result)
    }

    /// Records the result and wakes every waiter.
    func finish() {
        let endInstant = ContinuousClock.now
        let termination = io.withLock { $0.leaderTermination } ?? .exited(-1)
        let (result, firstProcessEndsNow) = shared.withLock { state -> (CommandResult, Bool) in
            let result = makeResult(termination, state: state, endInstant: endInstant)
            state.result = result
            let firstProcessEndsNow = state.firstProcessResult == nil
            if firstProcessEndsNow { state.firstProcessResult = result }
            return (result, firstProcessEndsNow)
        }
        if firstProcessEndsNow { firstProcessWaiters.resume(with: result) }
        waiters.resume(with: result)
    }

    private func makeResult(
        _ termination: Termination,
        state: borrowing SharedState,
        endInstant: ContinuousClock.Instant = .now
    ) -> CommandResult {
        CommandResult(
            termination: termination,
            startedAt: startedAt,
            endedAt: Date(),
            duration: endInstant - startInstant,
            wasStopped: state.stopRequested,
            wasKilledAfterGracePeriod: state.killedAfterGracePeriod
        )
    }
}
