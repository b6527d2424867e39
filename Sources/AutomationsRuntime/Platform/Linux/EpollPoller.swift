#if os(Linux)
import CAutomationsSystem
import Glibc

/// A ``Poller`` over one epoll set, woken through an eventfd.
final class EpollPoller: Poller {
    private let epollDescriptor: Int32
    private let wakeDescriptor: Int32
    /// Epoll data of the wake-up descriptor: no ``WatchToken`` packs to it.
    private static let wakeToken = UInt64.max

    init() {
        epollDescriptor = automations_epoll_create()
        precondition(epollDescriptor >= 0, "epoll_create1 failed: \(errno)")
        wakeDescriptor = automations_eventfd()
        precondition(wakeDescriptor >= 0, "eventfd failed: \(errno)")
        automations_epoll_add(epollDescriptor, wakeDescriptor, Self.wakeToken)
    }

    var addsNeedWake: Bool { false }

    func add(_ descriptor: Int32, token: UInt64) {
        automations_epoll_add(epollDescriptor, descriptor, token)
    }

    func remove(_ descriptor: Int32) {
        automations_epoll_remove(epollDescriptor, descriptor)
    }

    func wait(into tokens: inout [UInt64], timeout: Int32) -> Int32 {
        let count = automations_epoll_wait(epollDescriptor, &tokens, Int32(tokens.count), timeout)
        guard count > 0, let wake = tokens[0..<Int(count)].firstIndex(of: Self.wakeToken) else { return count }
        automations_drain(wakeDescriptor)
        tokens.swapAt(wake, Int(count) - 1)
        return count - 1
    }

    func wake() {
        var one: UInt64 = 1
        _ = write(wakeDescriptor, &one, 8)
    }
}
#endif
