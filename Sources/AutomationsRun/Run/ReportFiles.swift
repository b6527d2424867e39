import AutomationsConfig
import AutomationsModel
import AutomationsReports
import AutomationsRuntime
import Foundation

/// Writes the JUnit and JSON reports a run was asked for.
enum ReportFiles {
    /// Writes each requested report; returns a message for each one that could not be written.
    static func write(
        _ report: ExecutionReport,
        setup: RunSetup,
        innerTests: [String: InnerTestResult] = [:],
        history: [String: StepHistory] = [:]
    ) -> [String] {
        var problems: [String] = []
        var context = ReportContext(
            file: setup.loaded.displayPath,
            trigger: setup.selection.trigger?.rawValue,
            targets: setup.selection.references,
            logs: setup.logs
        )
        context.shard = setup.configuration.shard?.description
        context.innerTests = innerTests
        context.history = history
        context.quarantine = Quarantine(setup.loaded.runner?.settings ?? RunnerSettings())
        if let path = setup.junitPath {
            do {
                try AtomicFile.write(JUnitReport.xml(report, context: context), to: path)
            } catch {
                problems.append("cannot write the JUnit report '\(path)': \(error)")
            }
        }
        let runReport = JSONReport.report(report, context: context)
        if let path = setup.jsonPath {
            do {
                try AtomicFile.write(runReport.fileText, to: path)
            } catch {
                problems.append("cannot write the JSON report '\(path)': \(error)")
            }
        }
        if let path = setup.htmlPath {
            // Drawn from the JSON report, as `automations report --html` draws it later.
            do {
                try AtomicFile.write(HTMLReport.html(runReport), to: path)
            } catch {
                problems.append("cannot write the HTML report '\(path)': \(error)")
            }
        }
        return problems
    }
}
