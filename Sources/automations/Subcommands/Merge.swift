import ArgumentParser
import AutomationsModel
import AutomationsReports
import AutomationsRun
import Foundation

/// `automations merge`: one JUnit and one JSON report from the JSON reports of a plan's shards.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge the JSON reports of a plan's shards into one JUnit and one JSON report.",
        discussion: """
            Counts read as if one run had run everything. A step that ran in several shards (a shared dependency) \
            appears once: failed if it failed anywhere, with the shards named. Reports of different files or \
            selections, or of different splits, are refused (exit 2), and so is an incomplete split: every shard's \
            report must be there (exit 2, naming the missing shards), unless --allow-missing-shards, and then the \
            merged result names them, counts each as an error, and fails. Exit status 1 when the merged result failed.

            Example:
              automations merge --junit report.xml --report-json report.json shard-*/report.json
            """
    )

    @Option(help: ArgumentHelp("Write the merged JUnit XML report here.", valueName: "path"))
    var junit: String?

    @Option(help: ArgumentHelp("Write the merged JSON report here.", valueName: "path"))
    var reportJson: String?

    @Flag(help: "Merge although shards of the split have no report; the merged result then names them and fails.")
    var allowMissingShards = false

    @Argument(help: "The shards' JSON reports (`run --report-json`).")
    var inputs: [String] = []

    func run() throws {
        guard !inputs.isEmpty else { throw fail("name the shards' JSON reports to merge") }
        let merged: ReportMerge.Merged
        do {
            merged = try ReportFileCommands.merge(
                inputs,
                junit: junit,
                json: reportJson,
                allowingMissingShards: allowMissingShards
            )
        } catch .invalidInput(let message) {
            throw fail(message)
        } catch {
            FileHandle.standardError.write(Data("error: cannot write the merged report: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let counts = merged.report.counts.jsonValue.serialized()
        let missing = merged.report.missingShards.map {
            " (missing: shard\($0.count == 1 ? "" : "s") \(MergeError.list($0)))"
        }
        print("merged \(inputs.count) report\(inputs.count == 1 ? "" : "s")\(missing ?? ""): \(counts)")
        if merged.failed { throw ExitCode(1) }
    }

    private func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        return ExitCode(ExitStatus.invalidInput)
    }
}
