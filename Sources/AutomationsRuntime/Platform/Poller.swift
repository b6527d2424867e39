/// Waits until watched descriptors are readable: epoll on Linux, `poll` elsewhere (and with
/// `AUTOMATIONS_BACKEND=posix`). Descriptors are watched from any thread; `wait` runs on the event loop's thread.
protocol Poller: Sendable {
    /// Whether a wait in progress must be woken to see a descriptor added from another thread (`poll` reads its
    /// set when it starts; epoll's set is the kernel's).
    var addsNeedWake: Bool { get }
    /// Watches `descriptor` for reading (or its end), reported with `token`.
    func add(_ descriptor: Int32, token: UInt64)
    /// Stops watching `descriptor` (before it is closed).
    func remove(_ descriptor: Int32)
    /// Waits up to `timeout` milliseconds (-1: no limit, 0: a look) and fills `tokens` with those of the ready
    /// descriptors. A ``wake()`` ends the wait and reports nothing.
    /// - Returns: how many tokens were filled, or -1 with errno (EINTR: a signal came).
    func wait(into tokens: inout [UInt64], timeout: Int32) -> Int32
    /// Ends a ``wait(into:timeout:)`` that is in progress, or the next one, from any thread.
    func wake()
}
