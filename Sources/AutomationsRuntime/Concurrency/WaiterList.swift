import Synchronization

/// Tasks waiting for a value that arrives later (a command's result, a service's next settled phase, a stop
/// request), each woken once: by ``resume(with:)`` when a value it accepts arrives, or with `nil` when its own task is
/// cancelled first.
///
/// Registering is synchronous and separate from waiting, so that an actor can check its state and register in one
/// isolated step: a value that arrives between ``register(accepting:)`` and ``wait(_:)`` is kept for the ticket.
package final class WaiterList<Value: Sendable>: Sendable {
    /// One registered waiter.
    package struct Ticket: Sendable {
        fileprivate let id: UInt64
    }

    private struct Entry {
        var accepts: @Sendable (Value) -> Bool
        var delivered: Value?
        var continuation: CheckedContinuation<Value?, Never>?
    }

    private struct State: ~Copyable {
        var nextID: UInt64 = 0
        var entries: [UInt64: Entry] = [:]
    }

    private let state = Mutex(State())

    package init() {}

    /// Registers a waiter for the first value that `accepts` takes.
    package func register(accepting accepts: @escaping @Sendable (Value) -> Bool = { _ in true }) -> Ticket {
        state.withLock { state in
            state.nextID += 1
            state.entries[state.nextID] = Entry(accepts: accepts, delivered: nil, continuation: nil)
            return Ticket(id: state.nextID)
        }
    }

    /// Waits for the ticket's value; `nil` when the calling task is cancelled first (or the ticket was withdrawn).
    package func wait(_ ticket: Ticket) async -> Value? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Value?, Never>) in
                let ready: Value?? = state.withLock { state in
                    guard let entry = state.entries[ticket.id] else { return .some(nil) }
                    if let delivered = entry.delivered {
                        state.entries[ticket.id] = nil
                        return .some(delivered)
                    }
                    if Task.isCancelled {
                        state.entries[ticket.id] = nil
                        return .some(nil)
                    }
                    state.entries[ticket.id]?.continuation = continuation
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            withdraw(ticket)
        }
    }

    /// Wakes the ticket's waiter with `nil` (a cancelled wait) and forgets the ticket.
    package func withdraw(_ ticket: Ticket) {
        let continuation = state.withLock { $0.entries.removeValue(forKey: ticket.id)?.continuation }
        continuation?.resume(returning: nil)
    }

    /// Hands `value` to every waiter that accepts it; those waiters are done.
    package func resume(with value: Value) {
        let woken = state.withLock { state -> [CheckedContinuation<Value?, Never>] in
            var woken: [CheckedContinuation<Value?, Never>] = []
            for (id, entry) in state.entries where entry.delivered == nil && entry.accepts(value) {
                if let continuation = entry.continuation {
                    woken.append(continuation)
                    state.entries[id] = nil
                } else {
                    state.entries[id]?.delivered = value
                }
            }
            return woken
        }
        for continuation in woken { continuation.resume(returning: value) }
    }
}
