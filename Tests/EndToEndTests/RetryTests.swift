import AutomationsTestSupport
import Foundation
import Testing

/// `--retries`: flaky tasks, reported the way Maven Surefire reports them; `--rerun-failed`.
@Suite(.timeLimit(.minutes(2)))
struct RetryTests {
    static let file = """
        tasks:
          flaky: {name: Flaky, command: 'n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; echo "attempt $n"; test $n -ge 2'}
          broken: {name: Broken, command: 'echo always broken; exit 4'}
          fine: {name: Fine, command: 'echo fine'}
          after: {name: After, command: 'echo after', dependsOn: [broken]}
        """

    @Test func aTaskThatPassesAfterFailingIsFlakyAndOneThatNeverPassesHasItsReruns() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        let outcome = try await project.runWithReports(["--retries", "2"])
        #expect(outcome.status == 1)
        #expect(outcome.step("flaky")["phase"] as? String == "TASK_EXECUTION_PHASE_SUCCEEDED")
        #expect(outcome.step("flaky")["flaky"] as? Bool == true)
        #expect(outcome.step("flaky")["attempts"] as? Int == 2)
        #expect(outcome.step("broken")["attempts"] as? Int == 3)
        #expect(outcome.step("fine")["attempts"] as? Int == 1)
        #expect(outcome.result.stdout.contains("task  flaky (2 attempts)"))
        #expect(outcome.result.stdout.contains("(1 flaky)"))
        #expect(
            project.read(".automations/logs/tasks/flaky.log")
                == "attempt 1\n── attempt 2 of 3 (attempt 1: exited with status 1) ──\nattempt 2\n"
        )
        #expect(outcome.junit.contains("<flakyFailure message=\"attempt 1: command exited with status 1\""))
        #expect(outcome.junit.components(separatedBy: "<rerunFailure ").count == 3)
        try await Self.validateTestcasesAgainstSurefire(outcome.junit, in: project)
    }

    /// `--retry-delay`: each attempt after the first waits that long (a reset connection needs a moment), and a stop
    /// during the wait ends it at once.
    @Test func retriesWaitTheRetryDelayAndAStopEndsTheWait() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        let outcome = try await project.runWithReports(["flaky", "--retries", "2", "--retry-delay", "400ms"])
        #expect(outcome.status == 0)
        #expect(outcome.step("flaky")["attempts"] as? Int == 2)
        #expect(
            project.read(".automations/logs/tasks/flaky.log")
                == "attempt 1\n── attempt 2 of 3 after 400ms (attempt 1: exited with status 1) ──\nattempt 2\n"
        )
        // The second attempt started no sooner than the delay after the first ended.
        let failed = (outcome.step("flaky")["failedAttempts"] as? [[String: Any]])?.first
        let firstStart = try #require((failed?["startedAt"] as? String).flatMap { ISO8601.parse($0) })
        let firstSeconds = try #require(Double(failed?["durationSeconds"] as? String ?? ""))
        let completed = try #require((outcome.step("flaky")["completedAt"] as? String).flatMap { ISO8601.parse($0) })
        #expect(completed.timeIntervalSince(firstStart) >= firstSeconds + 0.4)

        let stopped = try await project.runInterrupted(
            ["broken", "--retries", "1", "--retry-delay", "1h"],
            once: { $0.contains("attempt 2 of 2 after 1h") },
            with: [SIGTERM]
        )
        #expect(stopped.status == 143)
        #expect(stopped.stepPhase("broken") == "TASK_EXECUTION_PHASE_STOPPED")
        #expect(stopped.step("broken")["attempts"] as? Int == 1)

        let bad = try await project.run(["run", "--retries", "1", "--retry-delay", "soon"])
        #expect(bad.status == 2 && bad.stderr.contains("--retry-delay 'soon' is not a duration"), "\(bad.stderr)")
    }

    @Test func rerunFailedRunsWhatFailedOrDidNotRun() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        let first = try await project.runWithReports([])
        #expect(first.status == 1)
        for report in ["report.json", "report.xml"] {
            try FileManager.default.copyItem(atPath: project.path(report), toPath: project.path("earlier-\(report)"))
        }
        for earlier in ["earlier-report.json", "earlier-report.xml"] {
            let again = try await project.runWithReports(["--rerun-failed", earlier])
            let ran = ((again.json["steps"] as? [[String: Any]]) ?? []).compactMap { $0["reference"] as? String }
            #expect(ran.sorted() == ["after", "broken", "flaky"], "\(earlier)")
        }
        try "echo fixed".write(toFile: project.path("unused"), atomically: false, encoding: .utf8)
        let conflicting = try await project.run(["run", "fine", "--rerun-failed", "earlier-report.json"])
        #expect(conflicting.status == 2)
    }

    /// Each testcase inside a minimal `testsuite`, validated against Maven Surefire's schema with xmllint.
    static func validateTestcasesAgainstSurefire(_ junit: String, in project: Project) async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint") else { return }
        var cases: [String] = []
        var rest = junit[...]
        while let start = rest.range(of: "<testcase "),
            let end = rest.range(of: "</testcase>", range: start.upperBound..<rest.endIndex)
        {
            cases.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        let document =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"tasks\" tests=\"\(cases.count)\" errors=\"0\" "
            + "skipped=\"0\" failures=\"0\">\n" + cases.joined(separator: "\n") + "\n</testsuite>\n"
        try document.write(toFile: project.path("surefire.xml"), atomically: false, encoding: .utf8)
        let schema = URL(fileURLWithPath: ReportChecks.schema).deletingLastPathComponent()
            .appendingPathComponent("surefire-test-report.xsd").path
        let check = try await BinaryRunner.runProgram(
            "xmllint --noout --schema \(BinaryRunner.quote(schema)) surefire.xml",
            in: project.root
        )
        #expect(check.status == 0, "Surefire's schema rejects the testcases: \(check.stderr)")
    }
}

/// RFC 3339 times with fractional seconds, as the JSON report writes them.
enum ISO8601 {
    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
