public import AutomationsModel
public import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one service through its phases (spec section 2): start, readiness probing, crash detection, and stop
/// with the stop command or SIGTERM, then SIGKILL after the grace period. The phase rules are
/// ``ServiceStateMachine``'s; this actor owns the processes and tasks and reports every change of phase to the
/// observer with a growing status version.
public actor ServiceSupervisor {
    public nonisolated let definition: ServiceDefinition
    private let options: ServiceOptions
    private let observer: any RuntimeObserver

    private var machine = ServiceStateMachine()
    public var phase: ServicePhase { machine.phase }
    public var statusVersion: UInt64 { machine.statusVersion }
    public var failure: ServiceFailure? { machine.failure }
    /// The failure as people read it.
    public var failureMessage: String? { failure?.description }
    /// When the service last became RUNNING.
    public private(set) var readyAt: Date?
    /// When it was last started.
    public private(set) var startedAt: Date?
    /// When the service began to stop, and when it ended.
    private var stoppingAt: Date?
    private var endedAt: Date?

    private var startCommand: RunningCommand?
    private var stopCommand: RunningCommand?
    /// Set by ``killNow()``: no more grace periods.
    private var killRequested = false
    private var startInstant: ContinuousClock.Instant = .now
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
        let hasStartCommand = definition.commands?.start.isEmpty == false
        let generation: Int
        switch machine.start(reference: reference, hasStartCommand: hasStartCommand) {
        case .alreadyActive:
            return
        case .failed(let transition):
            announce(transition)
            return
        case .spawn(let started, let transition):
            generation = started
            announce(transition)
        }
        guard let commands = definition.commands else { return }  // has a start command: decided above
        readyAt = nil
        stoppingAt = nil
        endedAt = nil
        startedAt = Date()
        lastProbe = nil
        probeAttempts = 0
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
            announce(machine.spawnFailed(.startCommandNotStarted(reason: "\(error)")))
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
            let started: RunningCommand
            do {
                started = try ProcessRuntime.start(
                    options.commandSpec(command),
                    output: TeeOutputSink(sinks: [ObservedOutputSink(observer: observer, source: source), tail])
                )
            } catch {
                // A probe that cannot be started (no process left, no memory, for a moment) is a failed probe, not
                // the end of probing: the next one comes after the usual wait, until readinessTimeout.
                guard machine.generation == generation, !Task.isCancelled else { return }
                observer.record(
                    .serviceProbeFinished(reference: reference, attempt: attempt, termination: .exited(127), at: Date())
                )
                lastProbe = .init(
                    termination: .exited(127),
                    outputTail: "the ready command could not be started: \(error)"
                )
                try? await Task.sleep(for: options.probeSchedule.delay(after: .now - startInstant))
                continue
            }
            let probe = started
            let result = await withTaskCancellationHandler {
                await probe.wait()
            } onCancel: {
                probe.signalGroup(SIGKILL)
            }
            // A probe killed because probing ended is not a finished probe: its partial output is not the answer.
            guard machine.generation == generation, !Task.isCancelled else { return }
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
        guard let transition = machine.becameReady(generation: generation) else { return }
        readyAt = Date()
        timeoutTask?.cancel()
        announce(transition)
    }

    private func readinessTimedOut(after timeout: Duration, generation: Int) async {
        let failure = ServiceFailure.notReady(within: timeout, lastProbe: lastProbe)
        guard let transition = machine.readinessTimedOut(generation: generation, failure: failure) else { return }
        announce(transition)
        await stopProcesses()
    }

    // MARK: - The start command ending

    private func startExited(_ result: CommandResult, generation: Int) {
        guard let transition = machine.startCommandExited(result.termination, generation: generation) else { return }
        probeTask?.cancel()
        timeoutTask?.cancel()
        announce(transition)
    }

    // MARK: - Stop

    /// Stops the service with its stop rules and returns when nothing of it runs; does nothing when it is not
    /// running. A stop during STARTING ends the probing.
    public func stop() async {
        if let stopInProgress {
            await stopInProgress.value
            return
        }
        guard let transition = machine.beginStop() else { return }
        announce(transition)
        await stopProcesses()
    }

    /// The stop rules of spec section 2, once the service is STOPPING.
    private func stopProcesses() async {
        probeTask?.cancel()
        timeoutTask?.cancel()
        let task = Task { await self.performStop() }
        stopInProgress = task
        await task.value
        stopInProgress = nil
    }

    private func performStop() async {
        var failure: ServiceFailure?
        guard let start = startCommand else {
            finishStop(failure: nil)
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
                    if !result.termination.isSuccess { failure = .stopCommandEnded(result.termination) }
                } else {
                    stopCommand.signalGroup(SIGKILL)
                    _ = await stopCommand.wait()
                    failure = .stopCommandKilled(after: grace)
                }
            } catch {
                failure = .stopCommandNotStarted(reason: "\(error)")
            }
            start.signalGroup(SIGKILL)
            _ = await start.wait()
        } else {
            _ = await start.stop(grace: grace)
        }
        finishStop(failure: failure)
    }

    private func finishStop(failure: ServiceFailure?) {
        if let transition = machine.stopFinished(failure: failure) { announce(transition) }
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
            failure: failure,
            stoppingAt: stoppingAt,
            endedAt: endedAt,
            startedAt: startedAt
        )
    }

    // MARK: - Phases

    /// Tells the observer and the waiters about a change of phase.
    private func announce(_ transition: ServiceStateMachine.Transition) {
        let now = Date()
        if transition.phase == .stopping && stoppingAt == nil { stoppingAt = now }
        if transition.phase == .stopped || transition.phase == .failed { endedAt = now }
        observer.record(
            .servicePhaseChanged(
                reference: reference,
                phase: transition.phase,
                statusVersion: transition.statusVersion,
                at: Date(),
                failure: transition.failure
            )
        )
        phaseWaiters.resume(with: transition.phase)
    }
}
