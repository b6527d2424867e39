import AutomationsModel
import AutomationsRuntime
import Foundation
import Testing

@testable import AutomationsReports

/// How each failure value counts in the reports: the JUnit element and type, and the message, come from the value,
/// never from its text.
struct StepOutcomeTests {
    private func step(
        _ phase: ExecutionPhase,
        kind: StepKind = .task,
        failure: StepFailure? = nil,
        skip: SkipReason? = nil
    ) -> StepReport {
        var report = StepReport(step: PlanStep(reference: "x", kind: kind, group: 0, dependsOn: []))
        report.phase = phase
        report.failure = failure
        report.skipReason = skip
        return report
    }

    private func service(_ phase: ServicePhase, _ failure: ServiceFailure?) -> ServiceReport {
        ServiceReport(reference: "x", phase: phase, readyAt: nil, statusVersion: 3, failure: failure)
    }

    @Test func aCommandThatRanAndFailedIsAFailure() {
        let outcome = StepOutcome(step(.failed, failure: .commandEnded(.exited(3))), service: nil)
        #expect(outcome == .failure(type: "exit-status", message: "command exited with status 3"))
    }

    @Test func whatCouldNotRunProperlyIsAnError() {
        let grace = StepOutcome(step(.failed, failure: .killedAfterGracePeriod(.milliseconds(300))), service: nil)
        #expect(grace == .error(type: "could-not-run", message: "killed: still running 300ms after SIGTERM"))
        let spawn = StepOutcome(step(.failed, failure: .couldNotStart(reason: "cannot start 'x'")), service: nil)
        #expect(spawn == .error(type: "could-not-run", message: "cannot start 'x'"))
        let notReady = StepFailure.serviceNotReady(
            .notReady(within: .seconds(2), lastProbe: .init(termination: .exited(1), outputTail: "refused")),
            phase: .failed
        )
        #expect(
            StepOutcome(step(.failed, kind: .service, failure: notReady), service: nil)
                == .error(
                    type: "could-not-run",
                    message: "not ready within 2s; the last ready probe exited with status 1: refused"
                )
        )
    }

    @Test func aStoppedStepIsAnInterruption() {
        let outcome = StepOutcome(step(.stopped, failure: .stopped(.signal(2))), service: nil)
        #expect(outcome == .error(type: "interrupted", message: "stopped: run interrupted by SIGINT"))
    }

    @Test func aSkippedStepSaysWhy() {
        let outcome = StepOutcome(step(.pending, skip: .earlierGroupFailed("test")), service: nil)
        #expect(outcome == .skipped(message: "'test' failed in an earlier group"))
    }

    @Test func aServiceThatFailedAfterItWasReadyCountsByItsFailure() {
        let ready = step(.succeeded, kind: .service)
        #expect(
            StepOutcome(ready, service: service(.failed, .stopCommandEnded(.exited(5))))
                == .failure(type: "stop-failed", message: "stop command exited with status 5")
        )
        #expect(
            StepOutcome(ready, service: service(.failed, .stopCommandKilled(after: .milliseconds(400))))
                == .failure(type: "stop-failed", message: "stop command still running after 400ms; killed")
        )
        #expect(
            StepOutcome(ready, service: service(.failed, .startCommandEnded(.signaled(9))))
                == .error(type: "service-failed", message: "start command killed by signal 9 (SIGKILL)")
        )
        #expect(StepOutcome(ready, service: service(.stopped, nil)) == .passed)
    }
}

/// Secrets are masked inside failure values as well as in output.
struct SecretMaskingTests {
    @Test func failureTextsAreMasked() {
        let masker = SecretMasker(secrets: ["hunter2"], downstream: SilentRuntimeObserver())
        var report = StepReport(step: PlanStep(reference: "db", kind: .service, group: 0, dependsOn: []))
        report.phase = .failed
        report.failure = .serviceNotReady(
            .notReady(within: .seconds(1), lastProbe: .init(termination: .exited(1), outputTail: "password hunter2")),
            phase: .failed
        )
        let plan = ExecutionPlan(groups: [[report.step]])
        let masked = masker.mask(
            ExecutionReport(
                plan: plan,
                startedAt: Date(),
                completedAt: Date(),
                steps: [report],
                services: [
                    ServiceReport(
                        reference: "db",
                        phase: .failed,
                        readyAt: nil,
                        statusVersion: 1,
                        failure: .stopCommandNotStarted(reason: "cannot start 'stop hunter2'")
                    )
                ],
                stopReason: nil,
                isPrebuild: false
            )
        )
        #expect(
            masked.steps[0].failureMessage
                == "not ready within 1s; the last ready probe exited with status 1: password ***"
        )
        #expect(masked.services[0].failureMessage == "stop command could not be started: cannot start 'stop ***'")
        #expect(masked.phase == .failed)
    }
}
