import AutomationsModel
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Groups that outlive their first process: a command whose first process has exited is finished only once its
/// group is empty, looked at again after 1 ms, then at doubling intervals up to 50 ms. Background processes that
/// left the group (as a subreaper this process adopts them) are reaped here too.
extension ProcessEventLoop {
    func startLingering(_ command: RunningCommand) {
        command.io.withLock { io in
            io.lingerDelay = .milliseconds(1)
            io.nextLingerCheck = .now + io.lingerDelay
        }
        registry.withLock { _ = $0.lingering.insert(command.id) }
    }

    func lingerTimeoutMilliseconds() -> Int32 {
        let lingering = registry.withLock { registry in registry.lingering.compactMap { registry.commands[$0] } }
        guard !lingering.isEmpty else { return -1 }
        let now = ContinuousClock.now
        let next = lingering.map { command in command.io.withLock { $0.nextLingerCheck } }.min()!
        return next <= now ? 0 : Int32(max(1, (next - now).milliseconds))
    }

    func checkLingering() {
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

    /// Reaps every child of this process that the runtime does not watch as a command's first process:
    /// processes adopted as a subreaper. Never a wildcard wait: each is waited for by its pid.
    /// - Returns: the children that were reaped.
    @discardableResult
    package func reapAdoptedChildren() -> [Int32] {
        guard Platform.adoptsOrphans else { return [] }
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
        guard Platform.adoptsOrphans else { return [] }
        let children = ProcessTable.childrenOfSelf()
        return registry.withLock { registry -> [Int32]? in
            guard registry.spawnsInFlight == 0 else { return nil }
            return children.filter { !registry.unreapedLeaders.contains($0) }
        }
    }
}
