import ArgumentParser
import AutomationsConfig
import AutomationsModel
import AutomationsReports
import AutomationsRun
import Foundation

/// `automations history [REF…]`: what the recorded runs say of each step.
struct History: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Show each step's record across runs: runs, pass and flaky rates, median and p95 duration, last failure.",
        discussion: """
            Every run is recorded at its end: in .automations/history.sqlite (in the working directory of the \
            file), or where --history or AUTOMATIONS_HISTORY says (a file, or postgres://USER@HOST/DB for a team).

            Examples:
              automations history
              automations history test e2e --format json
            """
    )

    @Argument(help: "Steps to show; none: every step recorded.")
    var references: [String] = []

    @Option(help: ArgumentHelp("The history: a file (SQLite) or postgres://…", valueName: "location"))
    var history: String?

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func run() async throws {
        let directory = FileManager.default.currentDirectoryPath
        let root =
            AutomationsFileLocator.locate(from: directory).map { AutomationsFileLocator.rootDirectory(forFileAt: $0) }
            ?? directory
        let environment = ProcessInfo.processInfo.environment
        let settings = HistorySettings(
            location: history ?? environment["AUTOMATIONS_HISTORY"].flatMap { $0.isEmpty ? nil : $0 }
        )
        let location = settings.resolved(in: root)
        let trends: [StepRecord]
        do {
            trends = try await HistoryQueries.trends(at: location, of: references)
        } catch {
            let reason = HistoryQueries.describe(error)
            FileHandle.standardError.write(
                Data("error: the history (\(HistorySettings.shown(location))): \(reason)\n".utf8)
            )
            throw ExitCode(ExitStatus.invalidInput)
        }
        switch format {
        case .text: print(HistoryQueries.table(trends), terminator: "")
        case .json: print(HistoryQueries.json(trends).serialized(pretty: true))
        }
    }
}
