import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What an ``IOLoop`` calls on its thread.
protocol IOLoopDelegate: AnyObject, Sendable {
    /// A watched descriptor is ready (readable, or its process exited). `buffer` is the loop's read buffer.
    func descriptorIsReady(_ token: WatchToken, buffer: UnsafeMutableRawBufferPointer)
    /// Milliseconds until ``tick()`` is due; -1 when nothing is due.
    func millisecondsUntilTick() -> Int32
    /// Called after each round of events (and when the wait timed out).
    func tick()
    /// Whether an event is expected within microseconds (a process whose output ended is exiting): the loop then
    /// polls briefly before it sleeps, sparing a sleep and a wake-up per command.
    func expectsEventSoon() -> Bool
}

/// One thread that waits on the platform's ``Poller``, hands ready descriptors to its delegate by their
/// ``WatchToken``, and runs the jobs of tasks that prefer it as their executor between rounds of I/O.
final class IOLoop: Sendable {
    private let poller: any Poller
    private static let readBufferSize = 64 * 1024
    private static let eventsPerWait = 256
    /// Polls (about 0.3 µs each) before sleeping when an event is expected at once.
    private static let spinsBeforeSleeping = 64
    /// Jobs of tasks that prefer this loop as their executor.
    private let jobs = Mutex<[UnownedJob]>([])
    private let loopThread = Mutex<pthread_t?>(nil)
    private let name: String

    init(name: String) {
        self.name = name
        poller = Platform.makePoller()
    }

    /// Starts the thread; `delegate` is kept for the life of the process.
    func start(delegate: some IOLoopDelegate) {
        let thread = Thread { [self] in self.run(delegate: delegate) }
        thread.name = name
        thread.start()
    }

    /// Watches `descriptor` for reading (a process descriptor reads as ready when its process exits).
    func watch(_ descriptor: Int32, as token: WatchToken) {
        poller.add(descriptor, token: token.rawValue)
        if poller.addsNeedWake && !isOnLoopThread { poller.wake() }
    }

    /// Whether the caller runs on the loop's thread (where the steps of a run spawn their commands).
    var isOnLoopThread: Bool {
        loopThread.withLock { thread in thread.map { pthread_equal($0, pthread_self()) != 0 } ?? false }
    }

    func unwatch(_ descriptor: Int32) {
        poller.remove(descriptor)
    }

    /// Makes the loop go round once more (its delegate's ``IOLoopDelegate/tick()`` comes soon), from any thread.
    func wake() {
        poller.wake()
    }

    private func run(delegate: some IOLoopDelegate) {
        Platform.prepareEventLoopThread()
        var tokens = [UInt64](repeating: 0, count: Self.eventsPerWait)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.readBufferSize, alignment: 16)
        loopThread.withLock { $0 = pthread_self() }
        while true {
            runQueuedJobs()
            let timeout = jobs.withLock { $0.isEmpty } ? delegate.millisecondsUntilTick() : 0
            var count: Int32 = 0
            if timeout != 0 && delegate.expectsEventSoon() {
                for _ in 0..<Self.spinsBeforeSleeping where count == 0 {
                    count = poller.wait(into: &tokens, timeout: 0)
                }
            }
            if count == 0 {
                count = poller.wait(into: &tokens, timeout: timeout)
            }
            if count < 0 {
                if errno != EINTR { usleep(1000) }
                delegate.tick()
                continue
            }
            for index in 0..<Int(count) {
                if let token = WatchToken(rawValue: tokens[index]) {
                    delegate.descriptorIsReady(token, buffer: buffer)
                }
            }
            delegate.tick()
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
}

// MARK: - Running tasks on the loop's thread

extension IOLoop: TaskExecutor {
    /// Tasks that prefer this executor (`withTaskExecutorPreference`) run on the loop's thread, between rounds of
    /// I/O: a command's end resumes the waiting task on the same thread, with no hand-over to another thread.
    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let onLoop = isOnLoopThread
        jobs.withLock { $0.append(unowned) }
        if !onLoop { poller.wake() }
    }
}
