import AutomationsTestSupport
import Foundation
import Testing

/// `--collect-junit REF=GLOB`: the tests a task ran, read from the JUnit files it wrote, in our reports.
@Suite(.timeLimit(.minutes(2)))
struct CollectJUnitTests {
    /// What go-junit-report, jest-junit and Maven Surefire write (trimmed by hand), and a bare `testsuite` root.
    static let goJUnit = """
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites tests="2" failures="1">
        \t<testsuite name="example.com/pkg" tests="2" failures="1" errors="0" time="0.012">
        \t\t<properties><property name="go.version" value="go1.22"></property></properties>
        \t\t<testcase name="TestAdd" classname="example.com/pkg" time="0.001"></testcase>
        \t\t<testcase name="TestSub" classname="example.com/pkg" time="0.002">
        \t\t\t<failure message="Failed" type="">pkg_test.go:12: got 1, want 2</failure>
        \t\t</testcase>
        \t</testsuite>
        </testsuites>
        """
    static let jest = """
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites name="jest tests" tests="2" failures="1" errors="0" time="1.2">
          <testsuite name="math" errors="0" failures="1" skipped="0" timestamp="2026-01-01T00:00:00" time="0.4" tests="2">
            <testcase classname="math adds" name="math adds" time="0.002">
            </testcase>
            <testcase classname="math divides" name="math divides" time="0.003">
              <failure><![CDATA[Error: expect(received).toBe(expected) <not markup> ]]]]><![CDATA[> done]]></failure>
            </testcase>
          </testsuite>
        </testsuites>
        """
    static let surefire = """
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="com.example.AppTest" time="0.05" tests="3" errors="1" skipped="1" failures="0">
          <properties><property name="java.version" value="21"/></properties>
          <testcase name="works" classname="com.example.AppTest" time="0.01"/>
          <testcase name="breaks" classname="com.example.AppTest" time="0.02">
            <error message="boom &amp; bust" type="java.lang.IllegalStateException">java.lang.IllegalStateException: boom
            at com.example.AppTest.breaks(AppTest.java:20)</error>
            <system-out><![CDATA[log line &amp; more]]></system-out>
          </testcase>
          <testcase name="later" classname="com.example.AppTest" time="0">
            <skipped message="@Disabled"/>
          </testcase>
        </testsuite>
        """

    @Test func testsFromRealToolsAppearUnderTheirTask() async throws {
        let project = try Project(
            """
            tasks:
              go: {name: Go, command: "mkdir -p out && cp fixtures/go.xml out/go.xml"}
              jest: {name: Jest, command: "cp fixtures/jest.xml junit.xml"}
              java: {name: Java, command: "mkdir -p target/surefire-reports && cp fixtures/surefire.xml target/surefire-reports/TEST-com.example.AppTest.xml"}
              py: {name: Pytest, command: "python3 -m pytest -q --junitxml=reports/pytest.xml tests"}
            """
        )
        defer { project.remove() }
        try FileManager.default.createDirectory(atPath: project.path("fixtures"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: project.path("tests"), withIntermediateDirectories: true)
        try Self.goJUnit.write(toFile: project.path("fixtures/go.xml"), atomically: false, encoding: .utf8)
        try Self.jest.write(toFile: project.path("fixtures/jest.xml"), atomically: false, encoding: .utf8)
        try Self.surefire.write(toFile: project.path("fixtures/surefire.xml"), atomically: false, encoding: .utf8)
        try """
        import pytest
        def test_ok(): assert True
        def test_fails(): assert "<a>" == "b", "differ & more"
        @pytest.mark.skip(reason="later")
        def test_skipped(): pass
        """.write(toFile: project.path("tests/test_sample.py"), atomically: false, encoding: .utf8)

        let outcome = try await project.runWithReports(
            [
                "--keep-going", "--collect-junit", "go=out/*.xml", "--collect-junit", "jest=junit.xml",
                "--collect-junit", "java=target/surefire-reports/TEST-*.xml", "--collect-junit",
                "py=reports/pytest.xml",
            ]
        )
        #expect(outcome.status == 1, "pytest's task fails")
        let junit = outcome.junit
        #expect(junit.contains("<testsuite name=\"go/example.com/pkg\" tests=\"2\" failures=\"1\""))
        #expect(junit.contains("<failure message=\"Failed\" type=\"failure\">pkg_test.go:12: got 1, want 2</failure>"))
        #expect(junit.contains("<testsuite name=\"jest/math\" tests=\"2\" failures=\"1\""))
        #expect(junit.contains("Error: expect(received).toBe(expected) &lt;not markup&gt; ]]&gt; done"))
        #expect(
            junit.contains(
                "<testsuite name=\"java/com.example.AppTest\" tests=\"3\" failures=\"0\" errors=\"1\" skipped=\"1\""
            )
        )
        #expect(junit.contains("<error message=\"boom &amp; bust\" type=\"java.lang.IllegalStateException\">"))
        #expect(junit.contains("<system-out>log line &amp;amp; more</system-out>"))
        #expect(junit.contains("<testsuite name=\"py/pytest\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\""))
        #expect(junit.contains("classname=\"tests.test_sample\""))
        // The tasks' own testcases stay; the counts include the inner tests.
        #expect(junit.contains("<testcase name=\"py\" classname=\"automations.tasks\""))
        #expect(outcome.json["counts"] as? [String: Int] == ["tests": 14, "failures": 4, "errors": 1, "skipped": 2])
        let inner = outcome.step("py")["innerTests"] as? [String: Any]
        #expect(inner?["tests"] as? Int == 3)
        #expect(inner?["files"] as? [String] == ["reports/pytest.xml"])
        #expect(
            outcome.result.stdout.contains(
                "tests in 'java': 3 (1 failed, 1 skipped) from target/surefire-reports/TEST-com.example.AppTest.xml"
            )
        )
    }

    @Test func aFileMuchLargerThanOneReadIsReadWhole() async throws {
        let project = try Project(
            """
            tasks:
              big: {name: Big, command: "python3 write.py"}
            """
        )
        defer { project.remove() }
        // 20,000 testcases (about 1.5 MB: many 64 KiB reads, tags and CDATA across their edges).
        try """
        with open("big.xml", "w") as out:
            out.write('<?xml version="1.0"?>\\n<testsuites><testsuite name="big">\\n')
            for i in range(20000):
                if i % 100 == 0:
                    out.write(f'<testcase name="t{i}" classname="c{i % 7}" time="0.001"><failure message="m{i}"><![CDATA[trace {i} <x>]]></failure></testcase>\\n')
                else:
                    out.write(f'<testcase name="t{i}" classname="c{i % 7}" time="0.001"/>\\n')
            out.write('</testsuite></testsuites>\\n')
        """.write(toFile: project.path("write.py"), atomically: false, encoding: .utf8)
        let outcome = try await project.runWithReports(["--collect-junit", "big=big.xml"])
        #expect(outcome.status == 0)
        let inner = outcome.step("big")["innerTests"] as? [String: Any]
        #expect(inner?["tests"] as? Int == 20000)
        #expect(inner?["failures"] as? Int == 200)
        #expect(outcome.junit.contains("<failure message=\"m19900\" type=\"failure\">trace 19900 &lt;x&gt;</failure>"))
    }

    @Test func missingEmptyOrBrokenFilesAreWarningsNotCrashes() async throws {
        let project = try Project(
            """
            tasks:
              none: {name: None, command: "echo wrote nothing"}
              empty: {name: Empty, command: ": > empty.xml"}
              broken: {name: Broken, command: "printf '<testsuites><testsuite name=x><testcase name=\\"a\\"' > broken.xml"}
              stale: {name: Stale, command: "true"}
            """
        )
        defer { project.remove() }
        try "<testsuite name=\"old\"><testcase name=\"old\"/></testsuite>".write(
            toFile: project.path("stale.xml"),
            atomically: false,
            encoding: .utf8
        )
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: -3600)],
            ofItemAtPath: project.path("stale.xml")
        )
        let outcome = try await project.runWithReports(
            [
                "--collect-junit", "none=reports/*.xml", "--collect-junit", "empty=empty.xml", "--collect-junit",
                "broken=broken.xml", "--collect-junit", "stale=stale.xml",
            ]
        )
        #expect(outcome.status == 0)
        #expect(outcome.result.stderr.contains("warning: task 'none': no JUnit file matches 'reports/*.xml'"))
        #expect(outcome.result.stderr.contains("warning: task 'empty': empty.xml is empty"))
        #expect(outcome.result.stderr.contains("warning: task 'broken': broken.xml is not readable JUnit XML"))
        #expect(outcome.result.stderr.contains("warning: task 'stale': the JUnit files matching 'stale.xml' are older"))
        #expect(outcome.junit.contains("<system-err>warning: empty.xml is empty\n</system-err>"))
        #expect(outcome.json["counts"] as? [String: Int] == ["tests": 4, "failures": 0, "errors": 0, "skipped": 0])
        let wrong = try await project.run(["run", "--collect-junit", "nope=x.xml"])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("no task 'nope'"))
    }
}
