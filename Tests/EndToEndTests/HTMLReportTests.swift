import AutomationsTestSupport
import Foundation
import Testing

/// The self-contained HTML report, checked as a browser sees it (Debian's headless Chromium).
@Suite(.timeLimit(.minutes(2)))
struct HTMLReportTests {
    static let file = """
        services:
          web: {name: Web, commands: {start: "sleep 0.1; touch up; exec sleep 60", ready: "test -f up"}}
        tasks:
          install: {name: Install, command: "echo installed"}
          slow: {name: Slow, command: "sleep 1; echo slow", dependsOn: [install]}
          quick: {name: Quick, command: "echo quick", dependsOn: [install]}
          hostile: {name: Hostile, command: "python3 hostile.py", dependsOn: [install]}
          smoke: {name: Smoke, command: "echo smoke; exit 2", dependsOn: [slow, web]}
          deploy: {name: Deploy, command: "echo deploy", dependsOn: [smoke]}
        """

    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test func theReportOfAMixedRunIsSafeSelfContainedAndShowsTheCriticalPath() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        try """
        import sys
        sys.stdout.buffer.write(b"</script><script>alert(1)</script> <b>bold</b> nul:\\x00 esc:\\x1b[31mred\\x1b[0m bad:\\xff\\xfe &amp;\\n")
        """.write(toFile: project.path("hostile.py"), atomically: false, encoding: .utf8)
        let result = try await project.run([
            "run", "--html", "report.html", "--report-json", "report.json", "--keep-going",
        ])
        #expect(result.status == 1)
        let bytes = project.bytes("report.html")
        let html = String(decoding: bytes, as: UTF8.self)
        // Safe: the hostile output is text, the only script is the page's own, no control bytes.
        #expect(html.components(separatedBy: "<script>").count == 2)
        #expect(html.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt;"))
        #expect(!bytes.contains(0x00) && !bytes.contains(0x1B))
        // Self-contained: nothing is fetched.
        for reference in ["src=", "href=\"http", "@import", "url(", "<link"] { #expect(!html.contains(reference)) }
        #expect(html.contains("data-verdict=\"failed\""))

        guard let chromium = Self.chromium else {
            Issue.record("Debian's chromium is needed to check the rendered report (scripts/setup installs it)")
            return
        }
        let page = "file://" + project.path("report.html")
        let dom = try await BinaryRunner.runProgram(
            "\(chromium) --headless --no-sandbox --disable-gpu --dump-dom \(BinaryRunner.quote(page)) 2>/dev/null"
        )
        #expect(dom.status == 0)
        for step in ["install", "slow", "quick", "hostile", "smoke", "deploy", "web"] {
            #expect(dom.stdout.contains("data-step=\"\(step)\""), "\(step) is on the page")
        }
        for step in ["install", "slow", "smoke"] {
            #expect(dom.stdout.contains("data-step=\"\(step)\" data-kind=\"task\" data-result="), "\(step)")
        }
        // The critical path comes to smoke through the step that ended last before smoke started: slow (1 s) on an
        // idle machine; on a stalled one, hostile's Python may end later, and smoke waited for its group too.
        let report = try RunOutcome(result: result, project: project)
        let steps = (report.json["steps"] as? [[String: Any]]) ?? []
        let smokeStart = try #require(report.step("smoke")["startedAt"] as? String)
        let setter = try #require(
            steps.filter { ($0["completedAt"] as? String ?? "~") <= smokeStart }
                .max { ($0["completedAt"] as? String ?? "") < ($1["completedAt"] as? String ?? "") }
        )
        let setterName = try #require(setter["reference"] as? String)
        #expect(
            dom.stdout.contains(
                "data-step=\"\(setterName)\" data-kind=\"task\" data-result=\"succeeded\" data-critical=\"true\""
            ),
            "\(setterName) ended last before smoke started"
        )
        #expect(
            dom.stdout.contains("data-step=\"smoke\" data-kind=\"task\" data-result=\"failed\" data-critical=\"true\"")
        )
        #expect(dom.stdout.contains("data-step=\"deploy\" data-kind=\"task\" data-result=\"skipped\">"))
        #expect(dom.stdout.contains("<article class=\"failure\" data-step=\"smoke\" data-result=\"failed\">"))

        // A screenshot for people (CI keeps it with the reports).
        let folder = ProcessInfo.processInfo.environment["AUTOMATIONS_REPORTS_DIR"] ?? project.root
        let screenshot = folder + "/html-report-mixed-run.png"
        let shot = try await BinaryRunner.runProgram(
            "\(chromium) --headless --no-sandbox --disable-gpu --window-size=1200,1100 "
                + "--screenshot=\(BinaryRunner.quote(screenshot)) \(BinaryRunner.quote(page)) 2>/dev/null"
        )
        #expect(shot.status == 0)
        #expect(FileManager.default.fileExists(atPath: screenshot))
    }

    @Test func reportRendersEarlierRunsAndMergedShards() async throws {
        let project = try Project(
            """
            tasks:
              a: {name: A, command: "echo a"}
              b: {name: B, command: "echo b"}
            """
        )
        defer { project.remove() }
        for index in 1...2 {
            let shard = try await project.run(["run", "--shard", "\(index)/2", "--report-json", "shard-\(index).json"])
            #expect(shard.status == 0)
        }
        let rendered = try await project.run(["report", "--html", "merged.html", "shard-1.json", "shard-2.json"])
        #expect(rendered.status == 0)
        let html = project.read("merged.html")
        #expect(html.contains("<dt>shards</dt><dd>1/2 2/2</dd>"))
        #expect(html.contains("data-step=\"a\"") && html.contains("data-step=\"b\""))
        #expect(try await project.run(["report", "--html", "x.html", "missing.json"]).status == 2)
    }
}
