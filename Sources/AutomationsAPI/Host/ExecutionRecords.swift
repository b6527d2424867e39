import AutomationsRuntime
import GitpodAPI

/// The task executions the host knows, in the order they started, and the live parts of those still running.
struct ExecutionRecords {
    /// What an unfinished execution runs with.
    struct Live {
        let executor: PlanExecutor
        let tracker: ExecutionTracker
        /// The id of each step's reference when the execution started.
        let idOf: [String: String]
    }

    /// At most this many executions are kept per task (the oldest finished ones go first).
    static let perTask = 50

    private var byID: [String: Gitpod_V1_TaskExecution] = [:]
    private var order: [String] = []
    private var live: [String: Live] = [:]

    subscript(id: String) -> Gitpod_V1_TaskExecution? { byID[id] }

    func live(_ id: String) -> Live? { live[id] }

    var oldestFirst: [Gitpod_V1_TaskExecution] { order.compactMap { byID[$0] } }

    var newestFirst: [Gitpod_V1_TaskExecution] { oldestFirst.reversed() }

    /// The executors of the unfinished executions.
    var executors: [PlanExecutor] { live.values.map(\.executor) }

    /// Adds an execution (running when `live` is given) and forgets the oldest finished ones of its task beyond
    /// ``perTask``.
    mutating func add(_ execution: Gitpod_V1_TaskExecution, live: Live? = nil) {
        byID[execution.id] = execution
        order.append(execution.id)
        self.live[execution.id] = live
        prune(taskID: execution.metadata.taskID)
    }

    /// Records the execution's final state; it is no longer live.
    mutating func finish(_ execution: Gitpod_V1_TaskExecution) {
        guard byID[execution.id] != nil else { return }
        byID[execution.id] = execution
        live[execution.id] = nil
    }

    /// Records the phase the execution was asked to reach (StopTaskExecution: STOPPED).
    mutating func setDesiredPhase(of id: String, _ phase: Gitpod_V1_TaskExecutionPhase) {
        byID[id]?.spec.desiredPhase = phase
    }

    private mutating func prune(taskID: String) {
        let ofTask = order.filter { byID[$0]?.metadata.taskID == taskID }
        let finished = ofTask.filter { live[$0] == nil }
        let excess = Set(finished.prefix(max(0, ofTask.count - Self.perTask)))
        guard !excess.isEmpty else { return }
        for id in excess { byID[id] = nil }
        order.removeAll { excess.contains($0) }
    }
}
