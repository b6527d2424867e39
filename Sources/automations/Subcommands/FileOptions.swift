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

    @Option(
        help: ArgumentHelp(
            "The runner file (sources, outputs, cache settings). Default: automations.runner.yaml beside the automations file.",
            valueName: "path"
        )
    )
    var runnerFile: String?

    @Option(help: "Colour the console output and diagnostics: auto (a terminal without NO_COLOR), always or never.")
    var color: ColorChoice = .auto

    /// The checked file; on any problem the diagnostics are printed and the command exits with status 2.
    func load() throws -> LoadedAutomationsFile {
        do {
            var loaded = try AutomationsConfigLoader.load(
                path: file,
                workingDirectory: FileManager.default.currentDirectoryPath
            )
            loaded.runner = try loadRunnerFile(for: loaded)
            return loaded
        } catch {
            DiagnosticPrinter(colorMode: color).print(error.diagnostics)
            throw ExitCode(ExitStatus.invalidInput)
        }
    }

    /// The runner file beside the automations file, or `--runner-file`.
    private func loadRunnerFile(for loaded: LoadedAutomationsFile) throws(ConfigError) -> LoadedRunnerFile? {
        try RunnerFileLoader.load(
            given: runnerFile,
            for: loaded,
            workingDirectory: FileManager.default.currentDirectoryPath
        )
    }

    /// The checked file, its warnings printed (after any errors) as `warnings` chooses and kept in its `warnings`;
    /// `trigger` adds the warnings of what nothing starts with it (AU007). Errors, or warnings under
    /// `--warnings-as-errors`, exit 2.
    func load(warnings options: WarningOptions, trigger: Trigger? = nil) throws -> LoadedAutomationsFile {
        let allowed = try options.allowedRules(options: self)
        func shown(_ warnings: [Diagnostic]) -> [Diagnostic] {
            warnings.filter { warning in !allowed.contains { $0.code == warning.code } }
        }
        let printer = DiagnosticPrinter(colorMode: color)
        var loaded: LoadedAutomationsFile
        do {
            loaded = try AutomationsConfigLoader.load(
                path: file,
                workingDirectory: FileManager.default.currentDirectoryPath,
                warnings: true
            )
        } catch {
            let printed = error.diagnostics + shown(error.warnings)
            printer.print(printed)
            Self.annotateUnderGitHubActions(printed)
            throw ExitCode(ExitStatus.invalidInput)
        }
        do {
            loaded.runner = try loadRunnerFile(for: loaded)
        } catch {
            printer.print(error.diagnostics)
            Self.annotateUnderGitHubActions(error.diagnostics)
            throw ExitCode(ExitStatus.invalidInput)
        }
        var warnings = loaded.warnings
        if let runner = loaded.runner {
            warnings += RunnerFileLoader.expiredQuarantine(runner, today: Quarantine.today())
        }
        if let trigger {
            warnings += AutomationsConfigLoader.unreachableWarnings(
                in: loaded.file,
                displayPath: loaded.displayPath,
                trigger: trigger
            )
        }
        let printed = shown(warnings).sortedByPosition()
        printer.print(printed)
        Self.annotateUnderGitHubActions(printed)
        if options.warningsAsErrors, !printed.isEmpty {
            throw fail(
                "\(printed.count) warning\(printed.count == 1 ? "" : "s") and --warnings-as-errors (silence a rule with "
                    + "--allow CODE)"
            )
        }
        loaded.warnings = printed
        return loaded
    }

    /// Under GitHub Actions, each diagnostic also annotates its line of the file in the pull request (stdout, where
    /// the runner reads workflow commands).
    private static func annotateUnderGitHubActions(_ diagnostics: [Diagnostic]) {
        guard ProcessInfo.processInfo.environment["GITHUB_ACTIONS"] == "true", !diagnostics.isEmpty else { return }
        FileHandle.standardOutput.write(Data(diagnostics.map(GitHubActions.annotation(for:)).joined().utf8))
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
