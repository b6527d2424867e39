import Testing

@testable import AutomationsRuntime

/// Waiting for a value that arrives later: delivered once, kept when it comes before the wait, filtered by what a
/// waiter accepts, and `nil` when the waiting task is cancelled or the ticket withdrawn.
struct WaiterListTests {
    @Test func aValueReachesEveryWaiterThatAcceptsIt() async {
        let list = WaiterList<Int>()
        let even = list.register { $0 % 2 == 0 }
        let any = list.register()
        async let first = list.wait(even)
        async let second = list.wait(any)
        try? await Task.sleep(for: .milliseconds(20))
        list.resume(with: 3)
        list.resume(with: 4)
        #expect(await first == 4)
        #expect(await second == 3)
    }

    @Test func aValueThatCameBeforeTheWaitIsKept() async {
        let list = WaiterList<String>()
        let ticket = list.register()
        list.resume(with: "early")
        list.resume(with: "later")
        #expect(await list.wait(ticket) == "early")
    }

    @Test func cancellationAndWithdrawalEndTheWaitWithNil() async {
        let list = WaiterList<Int>()
        let ticket = list.register()
        let waiting = Task { await list.wait(ticket) }
        try? await Task.sleep(for: .milliseconds(20))
        waiting.cancel()
        #expect(await waiting.value == nil)
        let withdrawn = list.register()
        list.withdraw(withdrawn)
        #expect(await list.wait(withdrawn) == nil)
        list.resume(with: 1)  // nobody is left to take it
    }
}
