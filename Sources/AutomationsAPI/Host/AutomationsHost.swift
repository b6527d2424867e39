public import AutomationsModel
import AutomationsRuntime
import Foundation
import GitpodAPI
public import ServiceLifecycle

/// The environment behind the API: the store of definitions, plus real processes — a supervisor per started
/// service and a plan executor per task execution, through the same runtime `automations run` uses.
///
/// The host is a `Service`: ``run()`` owns every execution (and every stop it was asked for) as a child task of
/// one task group. A graceful shutdown, or ``shutdown()``, stops the executions, waits for them, stops every
/// service with its stop rules and saves the state; then ``run()`` returns.
public actor AutomationsHost: Service {
    public let store: AutomationStore
    /// The ports the CLI stand-in opened in this environment.
    public nonisolated let ports = PortRegistry()
    let runtime: HostRuntime
    let logs: ServerLogWriter
    /// `http://HOST:PORT`, for log URLs; set once the server listens.
    var baseURL = ""

    struct RunningService {
        var definition: ServiceDefinition
        var supervisor: ServiceSupervisor
        /// The service's status version when this supervisor took over, so that versions keep growing.
        var versionBase: UInt64
    }

    var services: [String: RunningService] = [:]
    var executions = ExecutionRecords()
    /// The reports of finished executions, by their number (1-based, in the order they were started).
    var finishedReports: [Int: ExecutionReport] = [:]
    var executionsStarted = 0
    /// Wakes those waiting for an execution to end (``waitForExecution(_:)``), with its id.
    let executionEnded = WaiterList<String>()
    /// Where the state is saved, if anywhere.
    var stateFiles: StateFiles?
    /// Commands of finished executions whose processes live on (`cmd &`): stopped when the server stops.
    var leftRunning: [RunningCommand] = []
    /// How long what tasks left running may take to end after SIGTERM at shutdown.
    static let leftRunningStopGrace: Duration = .seconds(10)
    /// A file to apply before the host is first used (``applyWhenNeeded(_:)``).
    var pendingFile: AutomationsFile?
    /// Set once the shutdown began: no execution starts after it.
    var isShuttingDown = false

    /// Work for ``run()``'s task group.
    enum Work: Sendable {
        case perform(@Sendable () async -> Void)
        case shutdown
    }

    private let work: (stream: AsyncStream<Work>, continuation: AsyncStream<Work>.Continuation)

    /// A host that runs commands as ``HostRuntime/server(workingDirectory:environment:serviceStopGrace:)`` does.
    public init(
        store: AutomationStore,
        workingDirectory: String,
        environment: [String: String],
        logDirectory: String,
        serviceStopGrace: Duration = .seconds(120)
    ) {
        self.init(
            store: store,
            logDirectory: logDirectory,
            runtime: .server(
                workingDirectory: workingDirectory,
                environment: environment,
                serviceStopGrace: serviceStopGrace
            )
        )
    }

    public init(store: AutomationStore, logDirectory: String, runtime: HostRuntime) {
        self.store = store
        self.runtime = runtime
        self.logs = ServerLogWriter(directory: logDirectory)
        self.work = AsyncStream.makeStream(of: Work.self)
    }

    public func setBaseURL(_ url: String) { baseURL = url }

    /// Applies `file` (as `UpsertAutomationsFile` would) when the host is first needed: the first API request, or
    /// the first service a plan asks for. A checked file applies cleanly.
    public func applyWhenNeeded(_ file: AutomationsFile) {
        pendingFile = file
    }

    /// Applies the pending file, if any.
    public func applyPendingFile() async {
        guard let file = pendingFile else { return }
        pendingFile = nil
        var request = Gitpod_V1_UpsertAutomationsFileRequest()
        request.automationsFile = Gitpod_V1_AutomationsFile(file)
        _ = try? await applyFile(request)
    }

    // MARK: - Lifecycle

    /// Runs the host's work until a graceful shutdown of the service group (or ``shutdown()``, or cancellation);
    /// then stops every execution and every service (their stop rules), waits for them and saves the state.
    public func run() async {
        let continuation = work.continuation
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for await item in work.stream {
                    guard case .perform(let operation) = item else { break }
                    group.addTask(operation: operation)
                }
                // The executions end once stopped; the group waits for them (and for stops under way).
                await stopAcceptingWork()
            }
        } onGracefulShutdown: {
            continuation.yield(.shutdown)
        }
        let left = leftRunning
        await withTaskGroup(of: Void.self) { group in
            for entry in services.values { group.addTask { await entry.supervisor.stop() } }
            for command in left { group.addTask { _ = await command.stop(grace: Self.leftRunningStopGrace) } }
        }
        await save()
    }

    /// Asks ``run()`` to shut down; it returns once everything has stopped.
    public nonisolated func shutdown() {
        work.continuation.yield(.shutdown)
    }

    /// Runs `operation` as a child of ``run()``'s task group. Returns false once the host is shutting down.
    @discardableResult
    func perform(_ operation: @escaping @Sendable () async -> Void) -> Bool {
        guard !isShuttingDown else { return false }
        if case .enqueued = work.continuation.yield(.perform(operation)) { return true }
        return false
    }

    private func stopAcceptingWork() async {
        isShuttingDown = true
        work.continuation.finish()
        for executor in executions.executors { await executor.stop(.requested) }
    }
}
