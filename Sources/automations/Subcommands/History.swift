import ArgumentParser
import AutomationsConfig
import AutomationsModel
import AutomationsReports
import AutomationsRun
import Foundation

/// `automations history [REF…] | flaky | import FILE…`: the runs the history remembers.
struct History: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What recorded runs say: trends per step, what is flaky; import reports made elsewhere.",
        discussion: """
            Every run is recorded at its end: in .automations/history.sqlite (in the working directory of the \
            file), or where --history or AUTOMATIONS_HISTORY says (a file, or postgres://USER@HOST/DB for a team).

            Examples:
              automations history
              automations history test e2e --format json
              automations history flaky
              automations history import artifacts/*/report.json junit/*.xml
            """,
        subcommands: [HistoryTrends.self, HistoryFlaky.self, HistoryImportCommand.self],
        defaultSubcommand: HistoryTrends.self
    )
}

/// Where the history is, as every `history` command finds it.
struct HistoryLocation: ParsableArguments {
    @Option(help: ArgumentHelp("The history: a file (SQLite) or postgres://…", valueName: "location"))
    var history: String?

    var resolved: String {
        let directory = FileManager.default.currentDirectoryPath
        let root =
            AutomationsFileLocator.locate(from: directory).map { AutomationsFileLocator.rootDirectory(forFileAt: $0) }
            ?? directory
        let environment = ProcessInfo.processInfo.environment
        let location = history ?? environment["AUTOMATIONS_HISTORY"].flatMap { $0.isEmpty ? nil : $0 }
        return HistorySettings(location: location).resolved(in: root)
    }

    func fail(_ error: any Error) -> ExitCode {
        let reason = HistoryQueries.describe(error)
        FileHandle.standardError.write(
            Data("error: the history (\(HistorySettings.shown(resolved))): \(reason)\n".utf8)
        )
        return ExitCode(ExitStatus.invalidInput)
    }
}

struct HistoryTrends: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trends",
        abstract: "Runs, pass and flaky rates, median and p95 duration, and the last failure of each step."
    )

    @Argument(help: "Steps to show; none: every step recorded.")
    var references: [String] = []

    @OptionGroup var location: HistoryLocation

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func run() async throws {
        let records: [StepRecord]
        do {
            records = try await HistoryQueries.trends(at: location.resolved, of: references)
        } catch {
            throw location.fail(error)
        }
        switch format {
        case .text: print(HistoryQueries.table(records), terminator: "")
        case .json: print(HistoryQueries.json(records).serialized(pretty: true))
        }
    }
}

struct HistoryFlaky: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flaky",
        abstract:
            "Steps and inner tests that failed and passed with the same inputs (commit or key), or passed on a retry."
    )

    @OptionGroup var location: HistoryLocation

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func run() async throws {
        do {
            print(try await HistoryQueries.flaky(at: location.resolved, json: format == .json), terminator: "")
        } catch {
            throw location.fail(error)
        }
    }
}

struct HistoryImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Record reports made elsewhere: our JSON reports, JUnit XML from any tool (each file once)."
    )

    @Argument(help: "JSON reports (`run --report-json`, `merge`) or JUnit XML files.")
    var files: [String] = []

    @OptionGroup var location: HistoryLocation

    func run() async throws {
        guard !files.isEmpty else {
            FileHandle.standardError.write(Data("error: name the reports to import\n".utf8))
            throw ExitCode(ExitStatus.invalidInput)
        }
        let results: [HistoryImport.Result]
        do {
            results = try await HistoryImport.run(files, location: location.resolved)
        } catch {
            throw location.fail(error)
        }
        for result in results {
            let line = "\(result.path): \(result.message)\n"
            if result.failed {
                FileHandle.standardError.write(Data(("error: " + line).utf8))
            } else {
                print(line, terminator: "")
            }
        }
        if results.contains(where: \.failed) { throw ExitCode(ExitStatus.invalidInput) }
    }
}
