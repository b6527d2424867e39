import ArgumentParser
import AutomationsModel
import AutomationsReports
import AutomationsRun
import Foundation

/// `automations report --html OUT INPUT.json…`: the HTML report of an earlier run, or of several shards merged.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render the HTML report from one JSON report, or from several shards' (merged as `merge` does).",
        discussion: """
            Log excerpts are included when the logs are where the reports say (relative to this directory).

            Example:
              automations report --html report.html shard-*/report.json
            """
    )

    @Option(help: ArgumentHelp("Write the HTML report here.", valueName: "path"))
    var html: String

    @Argument(help: "JSON reports (`run --report-json`).")
    var inputs: [String] = []

    func run() throws {
        guard !inputs.isEmpty else { throw fail("name the JSON report(s) to render") }
        do {
            try ReportFileCommands.renderHTML(of: inputs, to: html)
        } catch .invalidInput(let message) {
            throw fail(message)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    private func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        return ExitCode(ExitStatus.invalidInput)
    }
}
