import AutomationsModel
import AutomationsRuntime
import AutomationsTestSupport
import Foundation
import Testing

@testable import AutomationsReports

/// The live console on its own: prefixed lines per step (partial lines held until they end), grouped blocks read from
/// the logs, GitHub Actions groups and annotations, and quiet.
struct ConsoleReporterTests {
    private let plan = ExecutionPlan(groups: [
        [
            PlanStep(reference: "a", kind: .task, group: 0, dependsOn: []),
            PlanStep(reference: "long-name", kind: .task, group: 0, dependsOn: []),
        ]
    ])

    /// A console and the logs it reads, fed the way a run feeds them (logs first).
    private func console(
        _ mode: ConsoleMode,
        githubActions: Bool = false
    ) throws -> (observer: any RuntimeObserver, console: ConsoleReporter, output: CapturedOutput) {
        let output = try CapturedOutput()
        let folder = try TestEnvironment.directory()
        let logs = try StepLogFiles(directory: folder + "/logs", displayRelativeTo: folder, plan: plan)
        var configuration = ConsoleReporter.Configuration(
            mode: mode,
            color: false,
            githubActions: githubActions,
            statusLine: false
        )
        configuration.definitions = ["a": SourceLocation(file: "automations.yaml", line: 3, column: 5)]
        let console = ConsoleReporter(
            configuration: configuration,
            plan: plan,
            logs: logs,
            output: TerminalOutput(descriptor: output.descriptor)
        )
        return (ObserverFanOut([logs, console]), console, output)
    }

    private func say(
        _ observer: any RuntimeObserver,
        _ reference: String,
        _ text: String,
        _ stream: OutputStreamKind = .stdout
    ) {
        Array(text.utf8).withUnsafeBytes { bytes in
            observer.output(from: OutputSource(kind: .task, reference: reference), stream: stream, bytes: bytes)
        }
    }

    private func finished(_ reference: String, _ phase: ExecutionPhase, exit status: Int32 = 0) -> RuntimeEvent {
        var report = StepReport(step: PlanStep(reference: reference, kind: .task, group: 0, dependsOn: []))
        report.phase = phase
        report.startedAt = Date(timeIntervalSince1970: 0)
        report.completedAt = Date(timeIntervalSince1970: 1.5)
        if phase == .failed { report.failure = .commandEnded(.exited(status)) }
        return .stepFinished(report)
    }

    private func started(_ reference: String) -> RuntimeEvent {
        .stepStarted(PlanStep(reference: reference, kind: .task, group: 0, dependsOn: []), at: Date())
    }

    @Test func prefixedLinesNameTheirStepAndHoldPartialLinesUntilTheyEnd() throws {
        let (observer, console, output) = try console(.prefixed)
        observer.record(started("a"))
        say(observer, "a", "one\ntw")
        say(observer, "long-name", "oops\n", .stderr)
        say(observer, "a", "o\r\nthree")
        observer.record(finished("a", .succeeded))
        console.finish()
        let lines = output.text.split(separator: "\n").map(String.init)
        #expect(lines.contains("a         | one"))
        #expect(lines.contains("a         | two"), "the partial line and its end are one line, without the CR")
        #expect(lines.contains("long-name ! oops"), "stderr is marked with !")
        #expect(lines.contains("a         | three"), "a last line without a newline is shown when the step ends")
        let one = try #require(lines.firstIndex(of: "a         | one"))
        let oops = try #require(lines.firstIndex(of: "long-name ! oops"))
        #expect(one < oops)
        #expect(lines.contains { $0.contains("a") && $0.contains("succeeded in 1.5s") })
    }

    @Test func groupedShowsEachStepAsOneBlockReadFromItsLog() throws {
        let (observer, console, output) = try console(.grouped)
        observer.record(started("a"))
        observer.record(started("long-name"))
        say(observer, "a", "from a 1\n")
        say(observer, "long-name", "from long 1\n")
        say(observer, "a", "from a 2\n")
        observer.record(finished("a", .failed, exit: 3))
        console.finish()
        let text = output.text
        #expect(!text.contains("| from"), "no prefixed lines in grouped mode")
        let block = try #require(text.range(of: "from a 1\nfrom a 2\n"), "a's lines together:\n\(text)")
        #expect(!text[block].contains("from long"))
        #expect(
            text
                == "── a: failed in 1.5s ──\nfrom a 1\nfrom a 2\n✗ a         failed: command exited with status 3 in 1.5s\n",
            "the block has a title, the log, and the verdict; long-name has not ended: nothing of it yet"
        )
    }

    @Test func underGitHubActionsABlockIsAGroupAndAFailureAnnotatesItsLine() throws {
        let (observer, console, output) = try console(.grouped, githubActions: true)
        observer.record(started("a"))
        say(observer, "a", "broken\n")
        observer.record(finished("a", .failed, exit: 2))
        console.finish()
        let text = output.text
        #expect(text.contains("::group::"), "\(text)")
        #expect(text.contains("::endgroup::"))
        #expect(text.contains("::error file=automations.yaml,line=3"), "\(text)")
    }

    @Test func quietShowsNoOutputButStillTheFailure() throws {
        let (observer, console, output) = try console(.quiet)
        observer.record(started("a"))
        say(observer, "a", "chatter\n")
        observer.record(finished("a", .failed, exit: 1))
        console.finish()
        #expect(!output.text.contains("chatter"))
        #expect(output.text == "✗ a         failed: command exited with status 1 in 1.5s\n")
    }
}
