package import AutomationsModel
import Foundation

/// Makes the ``RunReport`` of a run: its steps and services with their outcomes as JUnit counts them, the plan,
/// the ports, and the tests collected inside tasks.
package enum JSONReport {
    package static func report(_ report: ExecutionReport, context: ReportContext) -> RunReport {
        let logs = context.logs
        let outcomes = StepOutcome.all(report)
        let steps = zip(report.steps, outcomes).map { step, outcome in
            let source = OutputSource(kind: step.step.kind, reference: step.step.reference)
            return RunReport.Step(
                reference: step.step.reference,
                kind: step.step.kind.rawValue,
                group: step.step.group + 1,
                dependsOn: step.step.dependsOn,
                phase: step.phase.rawValue,
                startedAt: time(step.startedAt),
                completedAt: time(step.completedAt),
                exitStatus: step.termination.map { Int($0.shellStatus) },
                failureMessage: step.failureMessage,
                skipReason: step.skipReason?.description,
                warning: step.isWarning,
                processesLeftRunning: step.processesLeftRunning,
                attempts: step.attempts,
                innerTests: context.innerTests[step.step.reference].map(inner),
                flaky: step.isFlaky,
                failedAttempts: step.failedAttempts.map { attempt in
                    RunReport.FailedAttempt(
                        failureMessage: attempt.failure.description,
                        startedAt: time(attempt.startedAt),
                        durationSeconds: DurationText.seconds(attempt.duration)
                    )
                },
                outcome: outcome.name,
                outcomeType: outcome.type,
                outcomeMessage: outcome.message,
                logPath: logs.exists(source) ? logs.displayPath(for: source) : nil,
                cache: step.cache.map { hit in
                    RunReport.Cache(
                        status: "hit",
                        key: hit.key,
                        storedAt: time(hit.storedAt),
                        commit: hit.commit,
                        savedSeconds: DurationText.seconds(hit.saved),
                        flaky: hit.flaky,
                        source: hit.fromRemote ? "remote" : "local"
                    )
                },
                quarantine: step.quarantine.map { .init(owner: $0.owner, until: $0.until, reason: $0.reason) },
                history: context.history[step.step.reference].map { history in
                    RunReport.History(
                        runs: history.runs,
                        medianSeconds: history.medianSeconds.map { String(format: "%.3f", $0) },
                        p95Seconds: history.p95Seconds.map { String(format: "%.3f", $0) },
                        flakyRate: String(format: "%.3f", history.flakyRate)
                    )
                }
            )
        }
        let services = report.services.map { service in
            let source = OutputSource(kind: .service, reference: service.reference)
            return RunReport.Service(
                reference: service.reference,
                phase: service.phase.rawValue,
                readyAt: time(service.readyAt),
                stoppingAt: time(service.stoppingAt),
                endedAt: time(service.endedAt),
                statusVersion: String(service.statusVersion),
                failureMessage: service.failureMessage,
                logPath: logs.exists(source) ? logs.displayPath(for: source) : nil
            )
        }
        return RunReport(
            phase: report.phase.rawValue,
            exitStatus: Int(report.exitStatus),
            stopReason: report.stopReason?.description,
            startedAt: time(report.startedAt),
            completedAt: time(report.completedAt),
            file: context.file,
            trigger: context.trigger,
            targets: context.targets,
            shard: context.shard,
            plan: RunReport.Plan(report.plan),
            counts: counts(outcomes, inner: Array(context.innerTests.values)),
            steps: steps,
            services: services,
            ports: report.ports.map { port in
                RunReport.Port(
                    port: port.port,
                    name: port.name,
                    protocol: port.protocol,
                    url: port.url,
                    step: port.step
                )
            }
        )
    }

    private static func inner(_ tests: InnerTestResult) -> RunReport.InnerTests {
        RunReport.InnerTests(
            tests: tests.tests,
            failures: tests.count("failure"),
            errors: tests.count("error"),
            skipped: tests.count("skipped"),
            files: tests.files,
            warnings: tests.warnings
        )
    }

    /// The steps' outcomes, and the tests inside tasks (`--collect-junit`), as the JUnit report counts them.
    static func counts(_ outcomes: [StepOutcome], inner: [InnerTestResult] = []) -> RunReport.Counts {
        func count(_ name: String) -> Int {
            outcomes.filter { $0.name == name }.count + inner.reduce(0) { $0 + $1.count(name) }
        }
        return RunReport.Counts(
            tests: outcomes.count + inner.reduce(0) { $0 + $1.tests },
            failures: count("failure"),
            errors: count("error"),
            skipped: count("skipped")
        )
    }

    /// An RFC 3339 time with fractional seconds, in UTC.
    static func time(_ date: Date?) -> String? {
        guard let date else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
