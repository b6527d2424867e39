import AutomationsTestSupport
import Foundation
import Testing

/// Every run is recorded at its end, and the runner uses what it remembers.
@Suite(.timeLimit(.minutes(2)))
struct HistoryRunTests {
    static let file = """
        tasks:
          fast: {name: Fast, command: "echo fast"}
          slow: {name: Slow, command: "sleep 0.3; echo slow"}
          flaky: {name: Flaky, command: "test -f once || { touch once; exit 1; }"}
        """

    @Test func runsAreRecordedAndHistoryShowsEachStep() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        #expect(try await project.run(["run", "--retries", "1"]).status == 0)
        #expect(try await project.run(["run", "--retries", "1"]).status == 0)
        #expect(project.exists(".automations/history.sqlite"))
        let table = try await project.run(["history"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("STEP"), "\(table.stdout)")
        let json = try await project.run(["history", "slow", "flaky", "--format", "json"])
        let records = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(records.map { $0["reference"] as? String } == ["flaky", "slow"])
        let flaky = try #require(records.first)
        #expect(flaky["runs"] as? Int == 2)
        #expect(flaky["flakyRate"] as? String == "0.500", "the first run passed only after a retry")
        let slow = try #require(records.last)
        #expect((slow["medianSeconds"] as? String).flatMap(Double.init).map { $0 >= 0.3 } == true)
    }

    @Test func aFailureOfAStepKnownAsFlakySaysSoAndReportsShowUsualDurations() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        #expect(try await project.run(["run", "flaky", "slow", "--retries", "1"]).status == 0)
        try FileManager.default.removeItem(atPath: project.path("once"))
        let failing = try await project.run([
            "run", "flaky", "slow", "--html", "report.html", "--report-json", "report.json",
        ])
        #expect(failing.status == 1)
        #expect(
            failing.stdout.contains("failed (known flaky: passed only after a retry in 100% of 1 runs)"),
            "\(failing.stdout)"
        )
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(project.read("report.json").utf8)) as? [String: Any]
        )
        let slow = try #require((report["steps"] as? [[String: Any]])?.first { $0["reference"] as? String == "slow" })
        #expect((slow["history"] as? [String: Any])?["runs"] as? Int == 1)
        let html = project.read("report.html")
        #expect(html.contains("class=\"usual\">usually "), "the usual duration beside the step")
        #expect(html.contains("known flaky"))
    }

    @Test func aHistoryThatCannotBeReachedIsAWarningAndTheRunGoesOn() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        let result = try await project.run(["run", "fast", "--history", "postgres://nobody:secret@127.0.0.1:9/history"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(
            result.stderr.contains(
                "warning: the run was not recorded in the history (postgres://nobody:***@127.0.0.1:9/history)"
            ),
            "\(result.stderr)"
        )
        #expect(!result.stderr.contains("secret"))
        #expect(try await project.run(["run", "fast", "--no-history"]).status == 0)
    }

    @Test func shardsAreBalancedByWhatTheHistoryRemembers() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        #expect(try await project.run(["run", "fast", "slow"]).status == 0)
        let shard = try await project.run(["run", "--shard", "1/2", "fast", "slow"])
        #expect(shard.status == 0)
        #expect(
            shard.stderr.contains("shard timings: the median of the last 10 passing runs of 2 tasks from the history"),
            "\(shard.stderr)"
        )
        let given = try await project.run(["run", "--shard", "1/2", "--timings", ".automations/none.json", "fast"])
        #expect(given.status == 2, "--timings still wins (and an unreadable one is an error)")
    }

    @Test func reportsFromElsewhereAreImportedOnceAndFlakinessIsListed() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        let report = try await project.run(["run", "--retries", "1", "--no-history", "--report-json", "report.json"])
        #expect(report.status == 0)
        try """
        <testsuites><testsuite name="pytest"><testcase classname="t" name="ok" time="0.1"/>
        <testcase classname="t" name="bad" time="0.2"><failure message="no"/></testcase></testsuite></testsuites>
        """.write(toFile: project.path("pytest.xml"), atomically: false, encoding: .utf8)
        let imported = try await project.run(["history", "import", "report.json", "pytest.xml"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("report.json: imported (3 steps, 0 tests)"), "\(imported.stdout)")
        #expect(imported.stdout.contains("pytest.xml: imported (0 steps, 2 tests)"))
        let again = try await project.run(["history", "import", "pytest.xml"])
        #expect(again.stdout.contains("pytest.xml: already recorded"))
        let flaky = try await project.run(["history", "flaky", "--format", "json"])
        let records = try #require(try JSONSerialization.jsonObject(with: Data(flaky.stdout.utf8)) as? [[String: Any]])
        #expect(records.map { $0["name"] as? String } == ["flaky"], "it passed only after a retry: \(flaky.stdout)")
        let bomb = "<?xml version=\"1.0\"?><!DOCTYPE t [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><testsuite/>"
        try bomb.write(toFile: project.path("evil.xml"), atomically: false, encoding: .utf8)
        let refused = try await project.run(["history", "import", "evil.xml"])
        #expect(refused.status == 2)
        #expect(
            refused.stderr.contains(
                "error: evil.xml: has a DOCTYPE; entity declarations (external files, entity expansion) are refused"
            )
        )
    }
}

/// The runner file's quarantine: a quarantined failure still runs, is reported as quarantined everywhere, and does
/// not fail the run; an entry past its date is a warning of validate and no longer quarantines.
@Suite(.timeLimit(.minutes(2)))
struct QuarantineTests {
    static let file = """
        tasks:
          e2e: {name: E2E, command: "echo 'payment sandbox timed out'; exit 3"}
          after: {name: After, command: "echo after", dependsOn: [e2e]}
          unit: {name: Unit, command: "echo unit"}
        """

    private func project(until: String) throws -> Project {
        let project = try Project(Self.file)
        try """
        quarantine:
          - {test: e2e, owner: shop-team, until: \(until), reason: "payment sandbox times out"}
        """.write(toFile: project.path(".gitpod/automations.runner.yaml"), atomically: false, encoding: .utf8)
        return project
    }

    @Test func aQuarantinedFailureIsReportedButDoesNotFailTheRun() async throws {
        let project = try project(until: "2999-12-31")
        defer { project.remove() }
        let run = try await project.runWithReports([])
        #expect(run.status == 0, "\(run.result.stdout)\(run.result.stderr)")
        #expect(
            run.result.stdout.contains(
                "failed (quarantined until 2999-12-31 (owner shop-team): payment sandbox times out)"
            )
        )
        #expect(run.stepPhase("e2e") == "TASK_EXECUTION_PHASE_FAILED")
        #expect((run.step("e2e")["quarantine"] as? [String: Any])?["owner"] as? String == "shop-team")
        #expect(run.junit.contains("quarantined until 2999-12-31"))
        #expect(!run.junit.contains("<failure"), "not a failure for a CI's test gate")
        #expect(try await project.run(["validate"]).status == 0)
    }

    @Test func anExpiredEntryWarnsAndNoLongerQuarantines() async throws {
        let project = try project(until: "2020-01-31")
        defer { project.remove() }
        let validate = try await project.run(["validate"])
        #expect(validate.status == 0)
        #expect(
            validate.stderr.contains("warning: the quarantine of 'e2e' (owner shop-team) ended on 2020-01-31"),
            "\(validate.stderr)"
        )
        #expect(validate.stderr.contains("[AU008]"))
        #expect(try await project.run(["validate", "--warnings-as-errors"]).status == 2)
        #expect(try await project.run(["run"]).status == 1, "the failure fails the run again")
    }

    @Test func failOnFlakyFailsARunThatNeededARetry() async throws {
        let project = try Project("tasks:\n  flaky: {name: F, command: \"test -f once || { touch once; exit 1; }\"}\n")
        defer { project.remove() }
        let run = try await project.run(["run", "--retries", "1", "--fail-on-flaky", "--no-history"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("error: --fail-on-flaky: 'flaky' passed only after 2 attempts"), "\(run.stderr)")
    }
}
