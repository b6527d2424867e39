import AutomationsModel
import Testing

/// The run's phase and exit status come from one rule, so they never disagree.
@Suite struct RunVerdictTests {
    private func step(_ reference: String, _ phase: ExecutionPhase, warning: Bool = false) -> StepReport {
        var report = StepReport(step: PlanStep(reference: reference, kind: .task, group: 1, dependsOn: []))
        report.phase = phase
        report.isWarning = warning
        return report
    }

    private func verdict(
        _ steps: [StepReport],
        service: ServicePhase? = nil,
        stop: StopReason? = nil,
        prebuild: Bool = false
    ) -> (phase: ExecutionPhase, exitStatus: Int32) {
        let services = service.map {
            [ServiceReport(reference: "db", phase: $0, readyAt: nil, statusVersion: 1, failure: nil)]
        }
        let verdict = RunVerdict(steps: steps, services: services ?? [], stopReason: stop, isPrebuild: prebuild)
        return (verdict.phase, verdict.exitStatus)
    }

    @Test func everythingSucceeded() {
        #expect(verdict([step("a", .succeeded)], service: .stopped) == (.succeeded, 0))
    }

    @Test func aFailedStepFailsTheRun() {
        #expect(verdict([step("a", .failed), step("b", .pending)]) == (.failed, 1))
    }

    @Test func prebuildWarningsLeaveTheRunSucceeded() {
        let steps = [
            step("a", .succeeded), step("optional", .failed, warning: true), step("after", .pending, warning: true),
        ]
        #expect(verdict(steps, service: .failed, prebuild: true) == (.succeeded, 0))
        #expect(verdict(steps + [step("required", .failed)], prebuild: true) == (.failed, 1))
    }

    @Test func aFailedServiceFailsTheRunOutsidePrebuild() {
        #expect(verdict([step("a", .succeeded)], service: .failed) == (.failed, 1))
    }

    @Test func aStopGivesStoppedWithTheSignalsStatus() {
        let steps = [step("a", .succeeded), step("b", .stopped), step("c", .pending)]
        #expect(verdict(steps, stop: .signal(2)) == (.stopped, 130))
        #expect(verdict(steps, stop: .timeout(.seconds(1))) == (.stopped, 1))
        #expect(verdict(steps, stop: .requested) == (.stopped, 1))
    }

    @Test func aRequiredFailureBeforeTheStopReadsFailed() {
        #expect(verdict([step("a", .failed), step("b", .stopped)], stop: .signal(15)) == (.failed, 143))
    }
}
