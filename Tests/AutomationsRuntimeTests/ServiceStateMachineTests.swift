import AutomationsModel
import Testing

@testable import AutomationsRuntime

/// The phase rules of a service, without processes: every event in every phase it can arrive in.
struct ServiceStateMachineTests {
    /// A machine that was started (generation 1) and is STARTING.
    private func starting() -> ServiceStateMachine {
        var machine = ServiceStateMachine()
        _ = machine.start(reference: "db", hasStartCommand: true)
        return machine
    }

    private func running() -> ServiceStateMachine {
        var machine = starting()
        _ = machine.becameReady(generation: 1)
        return machine
    }

    @Test func aStartSpawnsAndEveryChangeCountsAVersion() {
        var machine = ServiceStateMachine()
        #expect(machine.phase == .unspecified)
        guard case .spawn(let generation, let transition) = machine.start(reference: "db", hasStartCommand: true)
        else {
            Issue.record("a stopped service with a start command is spawned")
            return
        }
        #expect(generation == 1)
        #expect(transition == .init(phase: .starting, statusVersion: 1, failure: nil))
        #expect(machine.becameReady(generation: 1) == .init(phase: .running, statusVersion: 2, failure: nil))
        #expect(machine.start(reference: "db", hasStartCommand: true) == .alreadyActive)
        #expect(machine.statusVersion == 2)
    }

    @Test func aServiceWithoutStartCommandFailsAtOnce() {
        var machine = ServiceStateMachine()
        let decision = machine.start(reference: "db", hasStartCommand: false)
        #expect(decision == .failed(.init(phase: .failed, statusVersion: 1, failure: .noStartCommand(reference: "db"))))
        #expect(machine.failure?.description == "service 'db' has no start command")
    }

    @Test func eventsOfAnEarlierStartAreIgnored() {
        var machine = starting()
        #expect(machine.startCommandExited(.exited(0), generation: 1) == .init(phase: .stopped, statusVersion: 2))
        guard case .spawn(let generation, _) = machine.start(reference: "db", hasStartCommand: true) else {
            Issue.record("a stopped service starts again")
            return
        }
        #expect(generation == 2)
        #expect(machine.becameReady(generation: 1) == nil)
        #expect(machine.startCommandExited(.exited(1), generation: 1) == nil)
        #expect(machine.readinessTimedOut(generation: 1, failure: .noStartCommand(reference: "db")) == nil)
        #expect(machine.phase == .starting)
    }

    @Test func theStartCommandEndingDecidesStoppedOrFailed() {
        var clean = running()
        #expect(clean.startCommandExited(.exited(0), generation: 1)?.phase == .stopped)
        var crashed = running()
        let transition = crashed.startCommandExited(.signaled(9), generation: 1)
        #expect(transition?.phase == .failed)
        #expect(transition?.failure == .startCommandEnded(.signaled(9)))
    }

    @Test func onceAStopBeganTheStartCommandEndingIsPartOfIt() {
        var machine = running()
        #expect(machine.beginStop()?.phase == .stopping)
        #expect(machine.startCommandExited(.signaled(15), generation: 1) == nil)
        #expect(machine.beginStop() == nil)
        #expect(machine.stopFinished(failure: nil) == .init(phase: .stopped, statusVersion: 4, failure: nil))
        #expect(machine.stopFinished(failure: nil) == nil)
    }

    @Test func aFailedStopCommandFailsTheService() {
        var machine = running()
        _ = machine.beginStop()
        let transition = machine.stopFinished(failure: .stopCommandEnded(.exited(5)))
        #expect(transition?.phase == .failed)
        #expect(transition?.failure?.description == "stop command exited with status 5")
    }

    @Test func theReadinessTimeoutStopsWithItsFailureWhichStaysTheFirst() {
        var machine = starting()
        let notReady = ServiceFailure.notReady(within: .seconds(1), lastProbe: nil)
        let stopping = machine.readinessTimedOut(generation: 1, failure: notReady)
        #expect(stopping == .init(phase: .stopping, statusVersion: 2, failure: notReady))
        #expect(machine.becameReady(generation: 1) == nil)
        let final = machine.stopFinished(failure: .stopCommandEnded(.exited(1)))
        #expect(final?.phase == .failed)
        #expect(final?.failure == notReady)
        #expect(notReady.description == "not ready within 1s; no ready probe finished")
    }

    @Test func aTimeoutAfterReadinessChangesNothing() {
        var machine = running()
        #expect(machine.readinessTimedOut(generation: 1, failure: .noStartCommand(reference: "db")) == nil)
        #expect(machine.phase == .running)
    }

    @Test func nothingToStopBeforeAStart() {
        var machine = ServiceStateMachine()
        #expect(machine.beginStop() == nil)
        #expect(machine.stopFinished(failure: nil) == nil)
        #expect(machine.statusVersion == 0)
    }

    @Test func aFailedSpawnIsFailedAndCanBeStartedAgain() {
        var machine = starting()
        #expect(machine.spawnFailed(.startCommandNotStarted(reason: "no such file")).phase == .failed)
        #expect(!machine.isActive)
        guard case .spawn(let generation, _) = machine.start(reference: "db", hasStartCommand: true) else {
            Issue.record("a failed service starts again")
            return
        }
        #expect(generation == 2)
        #expect(machine.failure == nil)
    }
}
