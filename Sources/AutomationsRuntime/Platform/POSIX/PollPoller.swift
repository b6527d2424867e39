import CAutomationsSystem
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A ``Poller`` over `poll(2)`, woken through a self-pipe. The set of descriptors is kept under a lock; the array
/// `poll` reads is made again on the loop's thread after it changed (the loop wakes itself for a watch from another
/// thread, so that it looks at the new descriptor at once).
final class PollPoller: Poller {
    private struct Watched: ~Copyable {
        var tokens: [Int32: UInt64] = [:]
        var changed = true
    }

    private let watched = Mutex(Watched())
    private let wakePipe: [Int32]
    /// The array given to `poll`: the loop thread's alone.
    nonisolated(unsafe) private var descriptors: [pollfd] = []

    init() {
        var pipe: [Int32] = [-1, -1]
        precondition(automations_pipe(&pipe) == 0, "pipe failed: \(errno)")
        automations_set_nonblocking(pipe[0])
        automations_set_nonblocking(pipe[1])
        wakePipe = pipe
    }

    var addsNeedWake: Bool { true }

    func add(_ descriptor: Int32, token: UInt64) {
        watched.withLock { watched in
            watched.tokens[descriptor] = token
            watched.changed = true
        }
    }

    func remove(_ descriptor: Int32) {
        watched.withLock { watched in
            if watched.tokens.removeValue(forKey: descriptor) != nil { watched.changed = true }
        }
    }

    func wait(into tokens: inout [UInt64], timeout: Int32) -> Int32 {
        let current = watched.withLock { watched -> [Int32]? in
            guard watched.changed else { return nil }
            watched.changed = false
            // In the order of their tokens (a command's standard output before its error, as they were made), not
            // the dictionary's: what both pipes hold is read in that order, as epoll reports what became ready first.
            return watched.tokens.sorted { $0.value < $1.value }.map(\.key)
        }
        if let current {
            descriptors = ([wakePipe[0]] + current).map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        }
        let count = poll(&descriptors, nfds_t(descriptors.count), timeout)
        guard count > 0 else { return count }
        if descriptors[0].revents != 0 { automations_drain(wakePipe[0]) }
        // Tokens are looked up now: a descriptor removed since the array was made reports nothing.
        let ready = descriptors.dropFirst().filter { $0.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 }.map(\.fd)
        var filled = 0
        watched.withLock { watched in
            for descriptor in ready where filled < tokens.count {
                guard let token = watched.tokens[descriptor] else { continue }
                tokens[filled] = token
                filled += 1
            }
        }
        return Int32(filled)
    }

    func wake() {
        var one: UInt8 = 1
        _ = write(wakePipe[1], &one, 1)
    }
}
