import AutomationsClient
import AutomationsConfig
import AutomationsReports
import AutomationsRun
import Foundation

/// `automations update [PATH|-]`: checks the file as `validate` does (exit 2 with its diagnostics when invalid).
/// A run keeps its plan; `serve` applies the file.
enum UpdateCommand {
    static func run(_ words: ArraySlice<String>, context: ShimContext) -> Int32 {
        let loaded: LoadedAutomationsFile
        do {
            loaded = try AutomationsConfigLoader.load(
                path: words.first,
                workingDirectory: FileManager.default.currentDirectoryPath
            )
        } catch {
            DiagnosticPrinter(colorMode: .auto).print(error.diagnostics)
            return ExitStatus.invalidInput
        }
        if context.isInsideRun {
            FileHandle.standardError.write(
                Data("automations: \(loaded.displayPath) is valid; the run keeps the plan it started with\n".utf8)
            )
            return 0
        }
        guard let client = context.requireClient() else { return 1 }
        do {
            try client.apply(loaded.file)
        } catch {
            return context.failed(error)
        }
        return 0
    }
}
