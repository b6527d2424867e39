package import AutomationsModel
import Foundation

/// The run as Markdown for GitHub Actions' job summary (`$GITHUB_STEP_SUMMARY`): the totals, a table of the steps,
/// then each failure with the last lines of its log.
package enum MarkdownSummary {
    package static func render(_ report: ExecutionReport, logs: StepLogFiles) -> String {
        let services = Dictionary(report.services.map { ($0.reference, $0) }, uniquingKeysWith: { $1 })
        let icon = report.phase == .succeeded ? "✅" : report.phase == .stopped ? "⏹️" : "❌"
        var text = "### \(icon) automations: \(RunSummary.totals(report))\n\n"
        text += "| Step | Kind | Result | Duration | Exit |\n|---|---|---|---|---|\n"
        for step in report.steps {
            let cells = [
                "`\(step.step.reference)`",
                step.step.kind.rawValue,
                RunSummary.result(of: step, service: services[step.step.reference]),
                step.duration.map(DurationText.human) ?? "",
                step.termination.map { "\($0.shellStatus)" } ?? "",
            ]
            text += "| " + cells.map(cell).joined(separator: " | ") + " |\n"
        }
        for step in report.steps where step.phase == .failed || step.phase == .stopped {
            let symbol = step.isWarning ? "⚠️" : "❌"
            text += "\n#### \(symbol) \(step.step.kind.rawValue) `\(step.step.reference)`: "
            text += "\(step.failureMessage ?? step.phase.shortName)\n"
            let source = OutputSource(kind: step.step.kind, reference: step.step.reference)
            guard logs.exists(source) else { continue }
            let lines = LogTail.lastLines(path: logs.path(for: source), lines: RunSummary.failureTailLines)
            if !lines.isEmpty {
                text += "\n```text\n\(lines.replacingOccurrences(of: "```", with: "`\u{200B}``"))\n```\n"
            }
        }
        return text + "\n"
    }

    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
