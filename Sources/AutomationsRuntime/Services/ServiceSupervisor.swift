public import AutomationsModel
public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs one service through its phases (spec section 2): start, readiness probing, crash detection, and stop
/// with the stop command or SIGTERM, then SIGKILL after the grace period. Every phase change is reported to the
/// observer with a growing status version.
public actor ServiceSupervisor {
    public nonisolated let definition: ServiceDefinition
    private let options: ServiceOptions
    private let observer: any RuntimeObserver

    public private(set) var phase: ServicePhase = .unspecified
    public private(set) var statusVersion: UInt64 = 0
    public private(set) var failure: ServiceFailure?
    /// The failure as people read it.
    public var failureMessage: String? { failure?.description }
    /// When the service last became RUNNING.
    public private(set) var readyAt: Date?

    private var startCommand: RunningCommand?
    private var stopCommand: RunningCommand?
    /// Set by ``killNow()``: no more grace periods.
    private var killRequested = false
    private var startInstant: ContinuousClock.Instant = .now
    /// Every start gets a new generation; callbacks of an earlier start are ignored.
    private var generation = 0
    private var stopRequested = false
    private var stopInProgress: Task<Void, Never>?
    private var probeTask: Task<Void, Never>?
    private var timeoutTask: Task<Void, Never>?
    private var lastProbe: ServiceFailure.LastProbe?
    private var probeAttempts = 0
    /// Waits for a phase: each waiter says which phases end its wait.
    private let phaseWaiters = WaiterList<ServicePhase>()

    public init(definition: ServiceDefinition, options: ServiceOptions, observer: any RuntimeObserver) {
        self.definition = definition
        self.options = options
        self.observer = observer
    }

    private var reference: String { definition.reference }

    // MARK: - Start

    /// Starts the service unless it is already starting, running or stopping.
    public func start() {
        guard [.unspecified, .stopped, .failed].contains(phase) else { return }
        generation += 1
        let generation = generation
        stopRequested = false
        failure = nil
        readyAt = nil
        lastProbe = nil
        probeAttempts = 0
        guard let commands = definition.commands, !commands.start.isEmpty else {
            setPhase(.failed, failure: .noStartCommand(reference: reference))
            return
        }
        setPhase(.starting)
        startInstant = .now
        let command: RunningCommand
        do {
            command = try ProcessRuntime.start(
                options.commandSpec(commands.start),
                output: ObservedOutputSink(
                    observer: observer,
                    source: OutputSource(kind: .service, reference: reference)
                )
            )
        } catch {
            setPhase(.failed, failure: .startCommandNotStarted(reason: "\(error)"))
            return
        }
        startCommand = command
        Task { [weak self] in
            let result = await command.wait()
            await self?.startExited(result, generation: generation)
        }
        if let ready = commands.ready {
            probeTask = Task { [weak self] in await self?.probe(ready, generation: generation) }
        } else {
            markRunning(generation: generation)
        }
        if let timeout = definition.readinessTimeout, timeout > .zero, phase == .starting {
            timeoutTask = Task { [weak self] in
                try? await Task.sleep(for: timeout)
                guard !Task.isCancelled else { return }
                await self?.readinessTimedOut(after: timeout, generation: generation)
            }
        }
    }

    /// Waits until the service is RUNNING, STOPPED or FAILED and returns that phase; a cancelled wait returns the
    /// phase of the moment.
    public func waitUntilSettled() async -> ServicePhase {
        guard phase == .starting || phase == .stopping else { return phase }
        let ticket = phaseWaiters.register { $0.isFinal || $0 == .running }
        return await phaseWaiters.wait(ticket) ?? phase
    }

    /// Waits until the service is STOPPED or FAILED (or was never started); a cancelled wait returns the phase of
    /// the moment.
    public func waitUntilFinal() async -> ServicePhase {
        guard !(phase.isFinal || phase == .unspecified) else { return phase }
        let ticket = phaseWaiters.register { $0.isFinal }
        return await phaseWaiters.wait(ticket) ?? phase
    }

    // MARK: - Readiness

    private func probe(_ command: String, generation: Int) async {
        while !Task.isCancelled {
            probeAttempts += 1
            let attempt = probeAttempts
            observer.record(.serviceProbeStarted(reference: reference, attempt: attempt, at: Date()))
            let tail = TailBuffer()
            let source = OutputSource(kind: .service, reference: reference, part: .ready)
            guard
                let probe = try? ProcessRuntime.start(
                    options.commandSpec(command),
                    output: TeeOutputSink(sinks: [ObservedOutputSink(observer: observer, source: source), tail])
                )
            else {
                lastProbe = .init(termination: .exited(127), outputTail: "the ready command could not be started")
                return
            }
            let result = await withTaskCancellationHandler {
                await probe.wait()
            } onCancel: {
                probe.signalGroup(SIGKILL)
            }
            // A probe killed because probing ended is not a finished probe: its partial output is not the answer.
            guard generation == self.generation, !Task.isCancelled else { return }
            observer.record(
                .serviceProbeFinished(
                    reference: reference,
                    attempt: attempt,
                    termination: result.termination,
                    at: Date()
                )
            )
            lastProbe = .init(termination: result.termination, outputTail: tail.lastLines())
            if result.termination.isSuccess {
                markRunning(generation: generation)
                return
            }
            try? await Task.sleep(for: options.probeSchedule.delay(after: .now - startInstant))
        }
    }

    private func markRunning(generation: Int) {
        guard generation == self.generation, phase == .starting else { return }
        readyAt = Date()
        timeoutTask?.cancel()
        setPhase(.running)
    }

    private func readinessTimedOut(after timeout: Duration, generation: Int) async {
        guard generation == self.generation, phase == .starting, !stopRequested else { return }
        probeTask?.cancel()
        await stopProcesses(failure: .notReady(within: timeout, lastProbe: lastProbe))
    }

    // MARK: - The start command ending

    private func startExited(_ result: CommandResult, generation: Int) {
        guard generation == self.generation, !stopRequested else { return }
        probeTask?.cancel()
        timeoutTask?.cancel()
        if result.termination.isSuccess {
            setPhase(.stopped)
        } else {
            setPhase(.failed, failure: .startCommandEnded(result.termination))
        }
    }

    // MARK: - Stop

    /// Stops the service with its stop rules and returns when nothing of it runs; does nothing when it is not
    /// running. A stop during STARTING ends the probing.
    public func stop() async {
        if let stopInProgress {
            await stopInProgress.value
            return
        }
        guard phase == .starting || phase == .running else { return }
        await stopProcesses(failure: nil)
    }

    /// The stop rules of spec section 2; `failure` makes the final phase FAILED with that message.
    private func stopProcesses(failure: ServiceFailure?) async {
        stopRequested = true
        probeTask?.cancel()
        timeoutTask?.cancel()
        let task = Task { await self.performStop(failure: failure) }
        stopInProgress = task
        await task.value
        stopInProgress = nil
    }

    private func performStop(failure: ServiceFailure?) async {
        if let failure { self.failure = failure }
        setPhase(.stopping)
        var failure = failure
        guard let start = startCommand else {
            setPhase(failure == nil ? .stopped : .failed)
            return
        }
        let grace = killRequested ? .zero : options.stopGracePeriod
        if let stop = definition.commands?.stop, !killRequested {
            let source = OutputSource(kind: .service, reference: reference, part: .stop)
            do {
                let stopCommand = try ProcessRuntime.start(
                    options.commandSpec(stop),
                    output: ObservedOutputSink(observer: observer, source: source)
                )
                self.stopCommand = stopCommand
                if let result = await stopCommand.wait(upTo: grace) {
                    if !result.termination.isSuccess { failure = failure ?? .stopCommandEnded(result.termination) }
                } else {
                    stopCommand.signalGroup(SIGKILL)
                    _ = await stopCommand.wait()
                    failure = failure ?? .stopCommandKilled(after: grace)
                }
            } catch {
                failure = failure ?? .stopCommandNotStarted(reason: "\(error)")
            }
            start.signalGroup(SIGKILL)
            _ = await start.wait()
        } else {
            _ = await start.stop(grace: grace)
        }
        if let failure {
            setPhase(.failed, failure: failure)
        } else {
            setPhase(.stopped)
        }
    }

    /// Kills every process of the service at once, whatever it is doing (a second Ctrl-C).
    public func killNow() {
        killRequested = true
        startCommand?.signalGroup(SIGKILL)
        stopCommand?.signalGroup(SIGKILL)
    }

    /// The service's state for reports.
    public func reportSnapshot() -> ServiceReport {
        ServiceReport(
            reference: reference,
            phase: phase,
            readyAt: readyAt,
            statusVersion: statusVersion,
            failure: failure
        )
    }

    // MARK: - Phases

    private func setPhase(_ newPhase: ServicePhase, failure: ServiceFailure? = nil) {
        if let failure { self.failure = failure }
        phase = newPhase
        statusVersion += 1
        observer.record(
            .servicePhaseChanged(
                reference: reference,
                phase: newPhase,
                statusVersion: statusVersion,
                at: Date(),
                failure: newPhase == .failed || newPhase == .stopping ? self.failure : nil
            )
        )
        phaseWaiters.resume(with: newPhase)
    }
}
