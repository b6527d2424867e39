package import AutomationsModel

/// The phase rules of one service (spec section 2), without processes or time: which event counts in which phase,
/// and which phase follows. ``ServiceSupervisor`` feeds it what its processes do and carries out what it decides.
///
/// Every start gets a new generation; an event of an earlier start (a probe that ends late, the start command of a
/// previous run exiting) carries its generation and is ignored. Every change of phase counts one status version.
package struct ServiceStateMachine: Sendable {
    package private(set) var phase: ServicePhase = .unspecified
    package private(set) var statusVersion: UInt64 = 0
    package private(set) var failure: ServiceFailure?
    /// The generation of the current (or last) start; 0 before the first.
    package private(set) var generation = 0

    package init() {}

    /// A change of phase the supervisor announces: the new phase and its status version.
    package struct Transition: Sendable, Hashable {
        package var phase: ServicePhase
        package var statusVersion: UInt64
        package var failure: ServiceFailure?

        package init(phase: ServicePhase, statusVersion: UInt64, failure: ServiceFailure? = nil) {
            self.phase = phase
            self.statusVersion = statusVersion
            self.failure = failure
        }
    }

    /// True while the service's processes may be running: STARTING, RUNNING or STOPPING.
    package var isActive: Bool { phase == .starting || phase == .running || phase == .stopping }

    // MARK: - Start

    /// What a start request leads to.
    package enum StartDecision: Sendable, Hashable {
        /// The service is already starting, running or stopping: nothing to do.
        case alreadyActive
        /// The service cannot start (no start command): it is FAILED.
        case failed(Transition)
        /// Spawn the start command for this generation; the service is STARTING.
        case spawn(generation: Int, Transition)
    }

    /// A request to start; `hasStartCommand` is false when the definition has no (or an empty) start command.
    package mutating func start(reference: String, hasStartCommand: Bool) -> StartDecision {
        guard !isActive else { return .alreadyActive }
        generation += 1
        failure = nil
        guard hasStartCommand else { return .failed(move(to: .failed, failure: .noStartCommand(reference: reference))) }
        return .spawn(generation: generation, move(to: .starting))
    }

    /// The start command could not be spawned.
    package mutating func spawnFailed(_ failure: ServiceFailure) -> Transition {
        move(to: .failed, failure: failure)
    }

    // MARK: - Readiness

    /// A ready probe succeeded, or the service has no probe: RUNNING, if this start is still STARTING.
    package mutating func becameReady(generation: Int) -> Transition? {
        guard generation == self.generation, phase == .starting else { return nil }
        return move(to: .running)
    }

    /// `readinessTimeout` passed: the stop begins with the failure, if this start is still STARTING.
    package mutating func readinessTimedOut(generation: Int, failure: ServiceFailure) -> Transition? {
        guard generation == self.generation, phase == .starting else { return nil }
        return move(to: .stopping, failure: failure)
    }

    /// True when events of `generation` still count: it is the current start and no stop has begun.
    private func isCurrent(_ generation: Int) -> Bool {
        generation == self.generation && (phase == .starting || phase == .running)
    }

    // MARK: - The start command ending by itself

    /// The start command ended without being asked to: STOPPED when it succeeded, else FAILED. Ignored once a stop
    /// has begun or for an earlier start.
    package mutating func startCommandExited(_ termination: Termination, generation: Int) -> Transition? {
        guard isCurrent(generation) else { return nil }
        if termination.isSuccess { return move(to: .stopped) }
        return move(to: .failed, failure: .startCommandEnded(termination))
    }

    // MARK: - Stop

    /// A request to stop: STOPPING when the service is STARTING or RUNNING; `nil` otherwise (nothing to stop, or a
    /// stop is already under way).
    package mutating func beginStop() -> Transition? {
        guard phase == .starting || phase == .running else { return nil }
        return move(to: .stopping)
    }

    /// The stop is done: FAILED when the stop or what led to it failed (the first failure is kept), else STOPPED.
    package mutating func stopFinished(failure stopFailure: ServiceFailure?) -> Transition? {
        guard phase == .stopping else { return nil }
        let failure = self.failure ?? stopFailure
        return failure == nil ? move(to: .stopped) : move(to: .failed, failure: failure)
    }

    // MARK: - Phases

    private mutating func move(to newPhase: ServicePhase, failure newFailure: ServiceFailure? = nil) -> Transition {
        if let newFailure { failure = newFailure }
        phase = newPhase
        statusVersion += 1
        let reported = newPhase == .failed || newPhase == .stopping ? failure : nil
        return Transition(phase: newPhase, statusVersion: statusVersion, failure: reported)
    }
}
