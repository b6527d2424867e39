import ArgumentParser
import AutomationsModel
import AutomationsReports
import AutomationsRuntime
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
        var decoded: [ReportMerge.Input] = []
        for path in inputs {
            guard let data = FileManager.default.contents(atPath: path),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { throw fail("'\(path)' cannot be read as a JSON report") }
            decoded.append((path, object))
        }
        var object = decoded[0].object
        if decoded.count > 1 {
            do {
                let merged = try ReportMerge.merge(decoded).json.serialized()
                object = (try? JSONSerialization.jsonObject(with: Data(merged.utf8))) as? [String: Any] ?? [:]
            } catch {
                throw fail(error.description)
            }
        }
        do {
            try AtomicFile.write(HTMLReport.html(object), to: html)
        } catch {
            FileHandle.standardError.write(Data("error: cannot write '\(html)': \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    private func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        return ExitCode(ExitStatus.invalidInput)
    }
}
