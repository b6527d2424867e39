import AutomationsModel
import Synchronization

/// Exits seen through SIGCHLD (``Platform/ExitWatch/childSignal``: kernels before 5.3, seccomp filters that refuse
/// process descriptors, the POSIX backend). SIGCHLD says only that some child changed state, and several exits may come as
/// one signal: each first process not reaped yet is looked at with `waitpid(pid, WNOHANG)` (never a wildcard wait,
/// which would take the exit of a process someone else waits for). A command registered after its SIGCHLD came is
/// looked at once it is registered; and every first process is looked at again at least every
/// ``fullCheckInterval``, should a signal ever be lost.
extension ProcessEventLoop {
    /// The longest a first process's exit can go unseen, were its SIGCHLD lost.
    static let fullCheckInterval = Duration.milliseconds(250)

    /// Looks at every first process not reaped yet.
    func checkEveryFirstProcess() {
        lastFullCheck = .now
        unchecked.withLock { $0.removeAll(keepingCapacity: true) }
        let commands = registry.withLock { registry in
            registry.commands.values.filter { registry.unreapedLeaders.contains($0.processGroup) }
        }
        for command in commands { leaderExited(command) }
    }

    /// Looks at the commands registered since the last look, and at all of them when a full check is due.
    func checkFirstProcesses() {
        if ContinuousClock.now - lastFullCheck >= Self.fullCheckInterval {
            checkEveryFirstProcess()
            return
        }
        let ids = unchecked.withLock { ids -> [UInt64] in
            defer { ids.removeAll(keepingCapacity: true) }
            return ids
        }
        guard !ids.isEmpty else { return }
        let commands = registry.withLock { registry in
            ids.compactMap { registry.commands[$0] }.filter { registry.unreapedLeaders.contains($0.processGroup) }
        }
        for command in commands { leaderExited(command) }
    }

    /// Milliseconds until the next full check is due; `nil` where none is needed (exits are seen by descriptor, or
    /// no first process is waited for).
    func millisecondsUntilFullCheck() -> Int32? {
        guard exitWatch == .childSignal else { return nil }
        let waiting = registry.withLock { !$0.unreapedLeaders.isEmpty } || unchecked.withLock { !$0.isEmpty }
        guard waiting else { return nil }
        let due = lastFullCheck + Self.fullCheckInterval
        let now = ContinuousClock.now
        return due <= now ? 0 : Int32(max(1, (due - now).milliseconds))
    }
}
