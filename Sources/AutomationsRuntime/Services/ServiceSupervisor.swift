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
    public private(set) var failureMessage: String?
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
    private var lastProbe: (termination: Termination, tail: String)?
    private var probeAttempts = 0
    private var waiters: [(id: UInt64, wantsFinal: Bool, continuation: CheckedContinuation<ServicePhase, Never>)] = []
    private var nextWaiter: UInt64 = 0

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
        failureMessage = nil
        readyAt = nil
        lastProbe = nil
        probeAttempts = 0
        guard let commands = definition.commands, !commands.start.isEmpty else {
            setPhase(.failed, failure: "service '\(reference)' has no start command")
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
            setPhase(.failed, failure: "start command could not be started: \(error)")
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
        return await wait(wantsFinal: false)
    }

    /// Waits until the service is STOPPED or FAILED (or was never started); a cancelled wait returns the phase of
    /// the moment.
    public func waitUntilFinal() async -> ServicePhase {
        guard !(phase.isFinal || phase == .unspecified) else { return phase }
        return await wait(wantsFinal: true)
    }

    private func wait(wantsFinal: Bool) async -> ServicePhase {
        nextWaiter += 1
        let id = nextWaiter
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(returning: phase)
                } else {
                    waiters.append((id, wantsFinal, continuation))
                }
            }
        } onCancel: {
            Task { await self.cancelWait(id) }
        }
    }

    private func cancelWait(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(returning: phase)
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
                lastProbe = (.exited(127), "the ready command could not be started")
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
            lastProbe = (result.termination, tail.lastLines())
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
        var message = "not ready within \(DurationText.secondsForProtoJSON(timeout))"
        if let lastProbe {
            message += "; the last ready probe \(lastProbe.termination)"
            if !lastProbe.tail.isEmpty { message += ": \(lastProbe.tail)" }
        } else {
            message += "; no ready probe finished"
        }
        await stopProcesses(failure: message)
    }

    // MARK: - The start command ending

    private func startExited(_ result: CommandResult, generation: Int) {
        guard generation == self.generation, !stopRequested else { return }
        probeTask?.cancel()
        timeoutTask?.cancel()
        if result.termination.isSuccess {
            setPhase(.stopped)
        } else {
            setPhase(.failed, failure: "start command \(result.termination)")
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
    private func stopProcesses(failure: String?) async {
        stopRequested = true
        probeTask?.cancel()
        timeoutTask?.cancel()
        let task = Task { await self.performStop(failure: failure) }
        stopInProgress = task
        await task.value
        stopInProgress = nil
    }

    private func performStop(failure: String?) async {
        if let failure { failureMessage = failure }
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
                    if !result.termination.isSuccess { failure = failure ?? "stop command \(result.termination)" }
                } else {
                    stopCommand.signalGroup(SIGKILL)
                    _ = await stopCommand.wait()
                    failure = failure ?? "stop command still running after \(DurationText.human(grace)); killed"
                }
            } catch {
                failure = failure ?? "stop command could not be started: \(error)"
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
            failureMessage: failureMessage
        )
    }

    // MARK: - Phases

    private func setPhase(_ newPhase: ServicePhase, failure: String? = nil) {
        if let failure { failureMessage = failure }
        phase = newPhase
        statusVersion += 1
        observer.record(
            .servicePhaseChanged(
                reference: reference,
                phase: newPhase,
                statusVersion: statusVersion,
                at: Date(),
                failureMessage: newPhase == .failed || newPhase == .stopping ? failureMessage : nil
            )
        )
        let settles = {
            (waiter: (id: UInt64, wantsFinal: Bool, continuation: CheckedContinuation<ServicePhase, Never>)) in
            newPhase.isFinal || (!waiter.wantsFinal && newPhase == .running)
        }
        let ready = waiters.filter(settles)
        waiters.removeAll(where: settles)
        for waiter in ready { waiter.continuation.resume(returning: newPhase) }
    }
}
