import AutomationsAPI
import AutomationsModel
import AutomationsRuntime
import Synchronization

/// What stops a run early: SIGINT, SIGTERM or SIGHUP (the first stops in order, a second kills everything) and the
/// run's `--timeout`. Either way the run still writes its reports.
final class StopTriggers {
    private let watcher: SignalWatcher
    private let timeoutTask: Task<Void, Never>?

    init(executor: PlanExecutor, api: RunAPI?, timeout: Duration?) {
        let signalsSeen = Atomic<Int>(0)
        watcher = SignalWatcher { signal in
            let count = signalsSeen.add(1, ordering: .relaxed).newValue
            Task {
                if count == 1 {
                    api?.host.shutdown()
                    await executor.stop(.signal(signal))
                } else {
                    await executor.killEverything()
                }
            }
        }
        timeoutTask = timeout.map { limit in
            Task {
                try? await Task.sleep(for: limit)
                guard !Task.isCancelled else { return }
                api?.host.shutdown()
                await executor.stop(.timeout(limit))
            }
        }
    }

    /// The plan has ended: the timeout no longer applies.
    func cancelTimeout() {
        timeoutTask?.cancel()
    }

    /// The run is over: signals end the process again.
    func cancel() {
        timeoutTask?.cancel()
        watcher.cancel()
    }
}
