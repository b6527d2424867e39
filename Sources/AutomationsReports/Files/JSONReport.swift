package import AutomationsModel
import Foundation

/// The JSON report of a run, in the public API's vocabulary (phases such as `TASK_EXECUTION_PHASE_FAILED`,
/// RFC 3339 times, 64-bit counters as strings).
package enum JSONReport {
    package static func json(_ report: ExecutionReport, context: ReportContext) -> JSONValue {
        let logs = context.logs
        let outcomes = StepOutcome.all(report)
        let steps: [JSONValue] = zip(report.steps, outcomes).map { step, outcome in
            let source = OutputSource(kind: step.step.kind, reference: step.step.reference)
            return .object([
                ("reference", .string(step.step.reference)),
                ("kind", .string(step.step.kind.rawValue)),
                // Counted from 1, as `plan` and the console show groups.
                ("group", .int(Int64(step.step.group + 1))),
                ("dependsOn", .strings(step.step.dependsOn)),
                ("phase", .string(step.phase.rawValue)),
                ("startedAt", time(step.startedAt)),
                ("completedAt", time(step.completedAt)),
                ("exitStatus", step.termination.map { .int(Int64($0.shellStatus)) } ?? .null),
                ("failureMessage", .optional(step.failureMessage)),
                ("skipReason", .optional(step.skipReason?.description)),
                ("warning", .bool(step.isWarning)),
                ("processesLeftRunning", .int(Int64(step.processesLeftRunning))),
                ("attempts", .int(Int64(step.attempts))),
                ("innerTests", context.innerTests[step.step.reference].map(innerJSON) ?? .null),
                ("flaky", .bool(step.isFlaky)),
                (
                    "failedAttempts",
                    .array(
                        step.failedAttempts.map { attempt in
                            .object([
                                ("failureMessage", .string(attempt.failure.description)),
                                ("startedAt", time(attempt.startedAt)),
                                ("durationSeconds", .string(DurationText.seconds(attempt.duration))),
                            ])
                        }
                    )
                ),
                ("outcome", .string(outcome.name)),
                ("outcomeType", .optional(outcome.type)),
                ("outcomeMessage", .optional(outcome.message)),
                ("logPath", logs.exists(source) ? .string(logs.displayPath(for: source)) : .null),
            ])
        }
        let services: [JSONValue] = report.services.map { service in
            let source = OutputSource(kind: .service, reference: service.reference)
            return .object([
                ("reference", .string(service.reference)),
                ("phase", .string(service.phase.rawValue)),
                ("readyAt", time(service.readyAt)),
                ("stoppingAt", time(service.stoppingAt)),
                ("endedAt", time(service.endedAt)),
                ("statusVersion", .string(String(service.statusVersion))),
                ("failureMessage", .optional(service.failureMessage)),
                ("logPath", logs.exists(source) ? .string(logs.displayPath(for: source)) : .null),
            ])
        }
        return .object([
            ("phase", .string(report.phase.rawValue)),
            ("exitStatus", .int(Int64(report.exitStatus))),
            ("stopReason", .optional(report.stopReason?.description)),
            ("startedAt", time(report.startedAt)),
            ("completedAt", time(report.completedAt)),
            ("file", .string(context.file)),
            ("trigger", .optional(context.trigger)),
            ("targets", .strings(context.targets)),
            ("shard", .optional(context.shard)),
            ("plan", report.plan.jsonValue),
            ("counts", counts(outcomes, inner: Array(context.innerTests.values))),
            ("steps", .array(steps)),
            ("services", .array(services)),
            ("ports", .array(report.ports.map(portJSON))),
        ])
    }

    private static func innerJSON(_ tests: InnerTestResult) -> JSONValue {
        .object([
            ("tests", .int(Int64(tests.tests))),
            ("failures", .int(Int64(tests.count("failure")))),
            ("errors", .int(Int64(tests.count("error")))),
            ("skipped", .int(Int64(tests.count("skipped")))),
            ("files", .strings(tests.files)),
            ("warnings", .strings(tests.warnings)),
        ])
    }

    private static func portJSON(_ port: OpenedPort) -> JSONValue {
        .object([
            ("port", .int(Int64(port.port))),
            ("name", .optional(port.name)),
            ("protocol", .optional(port.protocol)),
            ("url", .string(port.url)),
            ("step", .optional(port.step)),
        ])
    }

    /// The numbers a JUnit consumer reads from the same run.
    /// The steps' outcomes, and the tests inside tasks (`--collect-junit`), as the JUnit report counts them.
    static func counts(_ outcomes: [StepOutcome], inner: [InnerTestResult] = []) -> JSONValue {
        func count(_ name: String) -> JSONValue {
            .int(Int64(outcomes.filter { $0.name == name }.count + inner.reduce(0) { $0 + $1.count(name) }))
        }
        return .object([
            ("tests", .int(Int64(outcomes.count + inner.reduce(0) { $0 + $1.tests }))),
            ("failures", count("failure")),
            ("errors", count("error")),
            ("skipped", count("skipped")),
        ])
    }

    static func time(_ date: Date?) -> JSONValue {
        guard let date else { return .null }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return .string(formatter.string(from: date))
    }
}
