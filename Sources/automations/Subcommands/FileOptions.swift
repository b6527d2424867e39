import ArgumentParser
import AutomationsConfig
import AutomationsModel
import AutomationsReports
import Foundation

/// The options every command that reads an automations file shares.
struct FileOptions: ParsableArguments {
    @Option(
        name: [.short, .long],
        help: ArgumentHelp(
            "The automations file to read; - reads standard input. Default: found from the working directory upward.",
            valueName: "path"
        )
    )
    var file: String?

    @Option(help: "Colour the console output and diagnostics: auto (a terminal without NO_COLOR), always or never.")
    var color: ColorChoice = .auto

    /// The checked file; on any problem the diagnostics are printed and the command exits with status 2.
    func load() throws -> LoadedAutomationsFile {
        do {
            return try AutomationsConfigLoader.load(
                path: file,
                workingDirectory: FileManager.default.currentDirectoryPath
            )
        } catch {
            DiagnosticPrinter(colorMode: color).print(error.diagnostics)
            throw ExitCode(ExitStatus.invalidInput)
        }
    }

    /// Prints one error without a position and exits with status 2.
    func fail(_ message: String) -> ExitCode {
        DiagnosticPrinter(colorMode: color).print([Diagnostic(file: nil, message)])
        return ExitCode(ExitStatus.invalidInput)
    }
}

/// `--format text|json`.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    case text
    case json
}
