import AutomationsModel
import AutomationsRuntime
import Foundation
import Testing

/// What a run leaves behind for people and CI: log files, the console, the summary, and reports of hostile output.
@Suite(.timeLimit(.minutes(2)))
struct ReportTests {
    static let twoTasks = """
        tasks:
          ab: {name: AB, command: "echo one; sleep 0.1; echo err >&2; sleep 0.1; printf two"}
          longer: {name: Longer, command: "echo three", dependsOn: [ab]}
        """

    @Test func logFilesHoldTheExactBytesInArrivalOrder() async throws {
        let project = try Project("tasks:\n  binary: {name: Binary, command: 'cat data.bin; cat data.bin >&2'}\n")
        defer { project.remove() }
        var generator = SystemRandomNumberGenerator()
        let data = (0..<200_000).map { index in index % 97 == 0 ? 0 : UInt8.random(in: 0...255, using: &generator) }
        try Data(data).write(to: URL(fileURLWithPath: project.path("data.bin")))
        let outcome = try await project.runWithReports([])
        #expect(outcome.status == 0)
        #expect(project.bytes(".automations/logs/tasks/binary.log") == data + data)
        #expect(outcome.step("binary")["logPath"] as? String == ".automations/logs/tasks/binary.log")
    }

    /// The folders of every report path are made, as pytest's `--junitxml` makes them; one that cannot be is exit 2.
    @Test func reportFoldersAreCreated() async throws {
        let project = try Project(Self.twoTasks)
        defer { project.remove() }
        let result = try await project.run(
            ["run", "--junit", "reports/ci/junit.xml", "--report-json", "out/r.json", "--html", "out/html/r.html"]
        )
        #expect(result.status == 0, "\(result.stderr)")
        for path in ["reports/ci/junit.xml", "out/r.json", "out/html/r.html"] {
            #expect(project.exists(path), "\(path)")
        }
        let merged = try await project.run([
            "merge", "--junit", "merged/a/m.xml", "--report-json", "merged/b/m.json", "out/r.json",
        ])
        #expect(merged.status == 0 && project.exists("merged/a/m.xml") && project.exists("merged/b/m.json"))
        let html = try await project.run(["report", "--html", "again/r.html", "out/r.json"])
        #expect(html.status == 0 && project.exists("again/r.html"))
        try "".write(toFile: project.path("afile"), atomically: false, encoding: .utf8)
        let blocked = try await project.run(["run", "--junit", "afile/junit.xml"])
        #expect(blocked.status == 2)
        #expect(blocked.stderr.contains("--junit 'afile/junit.xml': cannot create the folder"), "\(blocked.stderr)")
    }

    @Test func theLogDirectoryStartsEmptyAndMustBeWritable() async throws {
        let project = try Project(Self.twoTasks)
        defer { project.remove() }
        try FileManager.default.createDirectory(
            atPath: project.path(".automations/logs/tasks"),
            withIntermediateDirectories: true
        )
        try "old".write(toFile: project.path(".automations/logs/tasks/gone.log"), atomically: false, encoding: .utf8)
        let result = try await project.run(["run"])
        #expect(result.status == 0)
        #expect(!project.exists(".automations/logs/tasks/gone.log"))
        #expect(project.read(".automations/logs/tasks/ab.log") == "one\nerr\ntwo")
        let unwritable = try await project.run(["run", "--logs", "/proc/automations-logs"])
        #expect(unwritable.status == 2)
        #expect(unwritable.stderr.contains("/proc/automations-logs"))
        #expect(!unwritable.stdout.contains("started"))
    }

    @Test func prefixedOutputPadsReferencesAndMarksStandardError() async throws {
        let project = try Project(Self.twoTasks)
        defer { project.remove() }
        let result = try await project.run(["run"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("ab     | one"))
        #expect(lines.contains("ab     ! err"))
        #expect(lines.contains("ab     | two"))  // the last line had no newline: shown when the step ended
        #expect(lines.contains("longer | three"))
        #expect(lines.firstIndex(of: "ab     | two")! < lines.firstIndex(of: "longer | three")!)
        #expect(!result.stdout.contains("\u{1B}"))  // a pipe gets no colour
    }

    @Test func groupedOutputPrintsOneBlockPerStep() async throws {
        let project = try Project(Self.twoTasks)
        defer { project.remove() }
        let result = try await project.run(["run", "--output", "grouped"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("── ab: succeeded in "))
        #expect(result.stdout.contains(" ──\none\nerr\ntwo\n"))
        #expect(result.stdout.contains(" ──\nthree\n"))
        #expect(!result.stdout.contains("ab     | one"))
    }

    @Test func quietOutputShowsOnlyFailuresAndTheSummary() async throws {
        let project = try Project(Self.twoTasks + "\n  bad: {name: Bad, command: 'echo broken; exit 9'}\n")
        defer { project.remove() }
        let result = try await project.run(["run", "--output", "quiet"])
        #expect(result.status == 1)
        #expect(!result.stdout.contains("▶"))
        #expect(!result.stdout.contains("| one"))
        #expect(result.stdout.contains("✗ bad    failed: command exited with status 9"))
        #expect(result.stdout.contains("Summary"))
        #expect(
            result.stdout.hasSuffix(
                "✗ task bad: command exited with status 9\n    broken\n    (log: .automations/logs/tasks/bad.log)\n"
            )
        )
    }

    @Test func colourFollowsTheColorOptionAndNoColor() async throws {
        let project = try Project(Self.twoTasks)
        defer { project.remove() }
        let always = try await project.run(["run", "--color", "always"])
        #expect(always.stdout.contains("\u{1B}["))
        let never = try await project.run(["run", "--color", "never"], environment: ["TERM": "xterm"])
        #expect(!never.stdout.contains("\u{1B}"))
        let noColor = try await project.run(["run"], environment: ["NO_COLOR": "1"])
        #expect(!noColor.stdout.contains("\u{1B}"))
    }

    @Test func aTerminalGetsColourAndAStatusLine() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
            Issue.record("/usr/bin/script (util-linux) is needed to give the run a terminal")
            return
        }
        let project = try Project(Self.twoTasks)
        defer { project.remove() }
        let command = "\(BinaryRunner.quote(BinaryRunner.executable)) run"
        let result = try await BinaryRunner.runProgram(
            "TERM=xterm script -qec \(BinaryRunner.quote(command)) /dev/null",
            in: project.root
        )
        #expect(result.status == 0)
        #expect(result.stdout.contains("\u{1B}[K"))  // the status line is redrawn in place
        #expect(result.stdout.contains("done]"))
        #expect(result.stdout.contains("\u{1B}[36m") || result.stdout.contains("\u{1B}[35m"))
    }

    @Test func gitHubActionsGetsGroupsAnnotationsOnTheFileAndAJobSummary() async throws {
        let project = try Project(Self.twoTasks + "\n  bad: {name: Bad, command: 'echo broken; exit 9'}\n")
        defer { project.remove() }
        try "existing\n".write(toFile: project.path("summary.md"), atomically: false, encoding: .utf8)
        let result = try await project.run(
            ["run"],
            environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": project.path("summary.md")]
        )
        #expect(result.status == 1)
        // Grouped by default under GitHub Actions.
        #expect(result.stdout.contains("::group::ab: succeeded in "))
        #expect(result.stdout.contains("::endgroup::"))
        // The annotation points at the failed step's definition: `bad` is on line 4, column 3.
        #expect(
            result.stdout.contains(
                "::error file=.gitpod/automations.yaml,line=4,col=3,title=task bad failed::command exited with status 9\n"
            )
        )
        let summary = project.read("summary.md")
        #expect(summary.hasPrefix("existing\n### ❌ automations: 3 steps: 1 succeeded, 1 failed, 1 not run; wall time "))
        #expect(summary.contains("| `bad` | task | failed | "))
        #expect(summary.contains("#### ❌ task `bad`: command exited with status 9\n\n```text\nbroken\n```"))
    }

    @Test func gitLabCIGetsCollapsibleSections() async throws {
        let project = try Project(Self.twoTasks + "\n  bad: {name: Bad, command: 'echo broken; exit 9'}\n")
        defer { project.remove() }
        let result = try await project.run(["run"], environment: ["GITLAB_CI": "true"])
        #expect(result.status == 1)
        #expect(result.stdout.contains(":task_ab[collapsed=true]\r\u{1B}[0Kab: succeeded in "))
        #expect(result.stdout.contains(":task_bad\r\u{1B}[0Kbad: failed in "))
        #expect(result.stdout.contains("\u{1B}[0Ksection_end:"))
    }

    @Test func theSummaryListsEveryStepAndEndsWithTheFailures() async throws {
        let project = try Project(
            """
            services:
              svc: {name: Svc, commands: {start: "exec sleep 60"}}
            tasks:
              ok: {name: OK, command: "true", dependsOn: [svc]}
              bad: {name: Bad, command: "echo first; echo last; exit 3"}
              after: {name: After, command: "true", dependsOn: [bad]}
            """
        )
        defer { project.remove() }
        let result = try await project.run(["run"])
        #expect(result.status == 1)
        let summary = try #require(result.stdout.components(separatedBy: "\nSummary\n").last)
        let rows = summary.split(separator: "\n").map(String.init)
        #expect(rows[0].hasPrefix("STEP"))
        #expect(
            rows.contains {
                $0.hasPrefix("bad ") && $0.contains("failed") && $0.contains(" 3 ")
                    && $0.hasSuffix(".automations/logs/tasks/bad.log")
            }
        )
        #expect(rows.contains { $0.hasPrefix("svc ") && $0.contains("ready, then stopped") })
        #expect(rows.contains { $0.hasPrefix("after ") && $0.contains("not run") })
        #expect(rows.contains { $0.hasPrefix("ok ") && $0.contains("not run") })  // its group came after the failure
        #expect(rows.contains { $0.hasPrefix("4 steps: 1 succeeded, 1 failed, 2 not run; wall time ") })
        #expect(
            result.stdout.hasSuffix(
                "Failures\n✗ task bad: command exited with status 3\n    first\n    last\n    (log: .automations/logs/tasks/bad.log)\n"
            )
        )
    }

    @Test func hostileOutputGivesASmallValidReport() async throws {
        let project = try Project("tasks:\n  hostile: {name: Hostile, command: 'python3 hostile.py'}\n")
        defer { project.remove() }
        try """
        import sys
        chunk = b"\\x1b[31mred\\x1b[0m nul:\\x00 end:]]> bell:\\x07 bad:\\xff\\xfe <tag a=\\"&\\"> \\xe2\\x9c\\x93\\n"
        out = sys.stdout.buffer
        for _ in range(50 * 1024 * 1024 // len(chunk)):
            out.write(chunk)
        sys.stdout.flush()
        sys.exit(1)
        """.write(toFile: project.path("hostile.py"), atomically: false, encoding: .utf8)
        let outcome = try await project.runWithReports([])
        #expect(outcome.status == 1)
        #expect(LogTailSize.of(project.path(".automations/logs/tasks/hostile.log")) > 50_000_000)
        let report = project.bytes("report.xml")
        #expect(report.count < 1_000_000)
        #expect(!report.contains(0x1B) && !report.contains(0x00) && !report.contains(0x07))
        #expect(outcome.junit.contains("]]&gt;"))
        #expect(outcome.junit.contains("bytes cut; the full log has everything"))
        #expect(outcome.junit.contains("[[ATTACHMENT|.automations/logs/tasks/hostile.log]]"))
        #expect(outcome.junit.contains(#"<failure message="command exited with status 1" type="exit-status">"#))
    }
}

extension ReportTests {
    @Test func aTaskWritesItsLogItselfWhenOnlyTheLogNeedsItsOutput() async throws {
        let project = try Project(
            """
            tasks:
              where: {name: Where, command: 'readlink /proc/self/fd/1 /proc/self/fd/2'}
              mixed: {name: Mixed, command: 'echo one; echo two >&2; printf "three"; echo " $SECRET_TOKEN"'}
            """
        )
        defer { project.remove() }
        let environment = ["SECRET_TOKEN": "hunter2"]
        // Grouped (as CI shows it): standard output and error are the log file itself.
        let grouped = try await project.run(["run", "--output", "grouped"], environment: environment)
        #expect(grouped.status == 0)
        let log = project.path(".automations/logs/tasks/where.log")
        #expect(project.read(".automations/logs/tasks/where.log") == "\(log)\n\(log)\n")
        #expect(project.read(".automations/logs/tasks/mixed.log") == "one\ntwo\nthree hunter2\n")
        #expect(grouped.stdout.contains(" ──\none\ntwo\nthree hunter2\n"))
        // A secret to mask, or a live console, needs the bytes: they come through pipes.
        let masked = try await project.run(
            ["run", "--output", "grouped", "--secret-env", "SECRET_TOKEN"],
            environment: environment
        )
        #expect(masked.status == 0)
        #expect(project.read(".automations/logs/tasks/where.log").hasPrefix("pipe:["))
        // (Through two pipes, the order between the two streams is not kept; in the file it is.)
        let maskedLog = project.read(".automations/logs/tasks/mixed.log")
        #expect(maskedLog.contains("one\n") && maskedLog.contains("two\n") && maskedLog.contains("three ***\n"))
        #expect(!maskedLog.contains("hunter2"))
        let prefixed = try await project.run(["run"], environment: environment)
        #expect(prefixed.status == 0)
        #expect(project.read(".automations/logs/tasks/where.log").hasPrefix("pipe:["))
    }

    @Test func aLongLogIsCutBetweenLines() async throws {
        // 100,000 numbered lines of varying length: far more than the 32 KiB `system-out` keeps.
        let project = try Project(
            """
            tasks:
              compile: {name: Compile, command: 'for i in $(seq 1 100000); do echo "compiling module $i"; done'}
            """
        )
        defer { project.remove() }
        let outcome = try await project.runWithReports([])
        #expect(outcome.status == 0)
        let start = try #require(outcome.junit.range(of: "<system-out>"))
        let end = try #require(
            outcome.junit.range(of: "[[ATTACHMENT|", range: start.upperBound..<outcome.junit.endIndex)
        )
        let lines = outcome.junit[start.upperBound..<end.lowerBound].split(separator: "\n")
        let notes = lines.filter { $0.hasPrefix("[… ") }
        #expect(notes.count == 1)
        let kept = lines.filter { !$0.hasPrefix("[… ") }
        #expect(kept.first == "compiling module 1" && kept.last == "compiling module 100000")
        #expect(kept.allSatisfy { $0.wholeMatch(of: /compiling module [1-9][0-9]*/) != nil })  // no line cut inside
        let size = LogTailSize.of(project.path(".automations/logs/tasks/compile.log"))
        let keptBytes = kept.reduce(0) { $0 + $1.utf8.count + 1 }
        #expect(notes.first == "[… \(size - keptBytes) bytes cut; the full log has everything …]")
    }
}

enum LogTailSize {
    static func of(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }
}
