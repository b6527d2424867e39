import AutomationsModel
import AutomationsReports
import AutomationsRuntime
import Foundation

/// The end of a run, after the plan: the inner tests read, the reports and the job summary written, the summary made,
/// and the exit status decided.
struct RunCompletion {
    let setup: RunSetup
    let cache: RunCache?
    let history: [String: StepHistory]
    let color: Bool

    func outcome(of report: ExecutionReport) -> RunOutcome {
        let configuration = setup.configuration
        let innerTests = InnerTests.collect(
            configuration.collectJUnit,
            report: report,
            directory: setup.workingDirectory
        )
        var output = ""
        var messages: [String] = []
        for (reference, tests) in innerTests.sorted(by: { $0.key < $1.key }) {
            messages += tests.warnings.map { "warning: task '\(reference)': \($0)" }
            guard !tests.files.isEmpty else { continue }
            let failed = tests.count("failure") + tests.count("error")
            output +=
                "tests in '\(reference)': \(tests.tests) (\(failed) failed, \(tests.count("skipped")) skipped) from "
                + tests.files.joined(separator: ", ") + "\n"
        }
        if let cache {
            messages += cache.store(report, innerTests: innerTests, logs: setup.logs).map { "warning: \($0)" }
        }
        let reportProblems = ReportFiles.write(report, setup: setup, innerTests: innerTests, history: history)
        if let nothingToRun = setup.nothingToRun, report.steps.isEmpty {
            output += RunSummary.renderEmpty(report, reason: nothingToRun, color: color)
        } else {
            output += RunSummary.render(report, logs: setup.logs, color: color)
        }
        if let summaryPath = setup.ci.githubStepSummary,
            !Self.append(MarkdownSummary.render(report, logs: setup.logs), to: summaryPath)
        {
            messages.append("warning: cannot append the summary to GITHUB_STEP_SUMMARY (\(summaryPath))")
        }
        let logProblems = setup.logs.writeProblems.map { "log file incomplete: \($0)" }
        messages += (logProblems + reportProblems).map { "error: \($0)" }
        var lost = !reportProblems.isEmpty || !logProblems.isEmpty
        if configuration.failOnFlaky {
            for step in report.steps where step.isFlaky {
                messages.append(
                    "error: --fail-on-flaky: '\(step.step.reference)' passed only after \(step.attempts) attempts"
                )
                lost = true
            }
        }
        return RunOutcome(
            report: report,
            innerTests: innerTests,
            output: output,
            messages: messages,
            exitStatus: lost ? max(report.exitStatus, 1) : report.exitStatus
        )
    }

    /// Appends to GitHub's job summary file; false when it cannot be written (the run's own reports are).
    private static func append(_ text: String, to path: String) -> Bool {
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { return false }
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        try? handle.close()
        return true
    }
}
