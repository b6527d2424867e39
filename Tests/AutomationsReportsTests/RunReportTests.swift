import AutomationsModel
import Foundation
import Testing

@testable import AutomationsReports

/// The JSON report is one versioned type: what is written is read back exactly, and anything else is a clear error.
struct RunReportTests {
    static func step(
        _ reference: String,
        kind: String = "task",
        outcome: String = "passed",
        warning: Bool = false,
        seconds: (Int, Int) = (0, 1)
    ) -> RunReport.Step {
        RunReport.Step(
            reference: reference,
            kind: kind,
            group: 1,
            dependsOn: [],
            phase: outcome == "passed" ? "TASK_EXECUTION_PHASE_SUCCEEDED" : "TASK_EXECUTION_PHASE_FAILED",
            startedAt: "2026-12-07T10:00:0\(seconds.0).000Z",
            completedAt: "2026-12-07T10:00:0\(seconds.1).500Z",
            exitStatus: outcome == "passed" ? 0 : 1,
            failureMessage: outcome == "passed" ? nil : "exit status 1",
            skipReason: nil,
            warning: warning,
            processesLeftRunning: 0,
            attempts: 1,
            innerTests: RunReport.InnerTests(
                tests: 3,
                failures: 0,
                errors: 0,
                skipped: 1,
                files: ["a.xml"],
                warnings: []
            ),
            flaky: false,
            failedAttempts: [],
            outcome: outcome,
            outcomeType: outcome == "passed" ? nil : "exit-status",
            outcomeMessage: outcome == "passed" ? nil : "exit status 1",
            logPath: nil
        )
    }

    static func report(
        shard: String? = nil,
        phase: String = "TASK_EXECUTION_PHASE_SUCCEEDED",
        steps: [RunReport.Step]
    )
        -> RunReport
    {
        RunReport(
            phase: phase,
            exitStatus: phase.hasSuffix("SUCCEEDED") ? 0 : 1,
            stopReason: nil,
            startedAt: "2026-12-07T10:00:00.000Z",
            completedAt: "2026-12-07T10:00:05.000Z",
            file: ".gitpod/automations.yaml",
            trigger: nil,
            targets: [],
            shard: shard,
            plan: RunReport.Plan(groups: [.init(steps: [.init(reference: "a", kind: "task", dependsOn: [])])]),
            counts: RunReport.Counts(tests: steps.count, failures: 0, errors: 0, skipped: 0),
            steps: steps,
            services: [
                RunReport.Service(
                    reference: "db",
                    phase: "SERVICE_PHASE_STOPPED",
                    readyAt: nil,
                    stoppingAt: nil,
                    endedAt: nil,
                    statusVersion: "5",
                    failureMessage: nil,
                    logPath: ".automations/logs/services/db.log"
                )
            ],
            ports: [RunReport.Port(port: 3000, name: "web", protocol: "http", url: "http://localhost:3000", step: "a")]
        )
    }

    @Test func whatIsWrittenIsReadBackExactly() throws {
        let written = Self.report(steps: [Self.step("a"), Self.step("b", outcome: "failure")])
        let text = written.fileText
        #expect(text.hasPrefix("{\n  \"reportVersion\": 1,"))
        let read = try RunReport.decode(Data(text.utf8), path: "r.json")
        #expect(read == written)
        #expect(read.fileText == text)
    }

    @Test func anotherVersionOrNoReportIsAClearError() {
        #expect(throws: ReportReadError.otherVersion(path: "old.json", version: nil)) {
            try RunReport.decode(
                Data(#"{"phase": "TASK_EXECUTION_PHASE_SUCCEEDED", "steps": []}"#.utf8),
                path: "old.json"
            )
        }
        #expect(throws: ReportReadError.otherVersion(path: "new.json", version: 2)) {
            try RunReport.decode(Data(#"{"reportVersion": 2}"#.utf8), path: "new.json")
        }
        #expect(throws: ReportReadError.notAReport(path: "x.json", reason: "not a JSON object")) {
            try RunReport.decode(Data("[1, 2]".utf8), path: "x.json")
        }
        #expect(throws: ReportReadError.notAReport(path: "x.json", reason: "no phase")) {
            try RunReport.decode(Data(#"{"reportVersion": 1}"#.utf8), path: "x.json")
        }
        #expect(throws: ReportReadError.unreadable(path: "/nonexistent/r.json")) {
            try RunReport.read("/nonexistent/r.json")
        }
        #expect(
            ReportReadError.otherVersion(path: "old.json", version: nil).description
                == "'old.json' has no reportVersion: it was written by an older automations; run it again to get a "
                + "version 1 report"
        )
    }

    @Test func timesAndOutcomesAreReadFromTheFields() {
        let step = Self.step("b", outcome: "failure")
        #expect(step.duration == .milliseconds(1_500))
        #expect(step.stepOutcome == .failure(type: "exit-status", message: "exit status 1"))
        #expect(Self.step("c", outcome: "weird").stepOutcome == .skipped(message: "not run"))
    }
}
