public import AutomationsModel
import Foundation
import Yams

/// A runner file, read and checked against its automations file.
public struct LoadedRunnerFile: Sendable {
    public var settings: RunnerSettings
    /// The path as shown in messages.
    public var displayPath: String
    public var path: String
}

/// Reads `automations.runner.yaml` (spec section 8): beside the automations file, or where `--runner-file` says.
public enum RunnerFileLoader {
    public static let fileName = "automations.runner.yaml"

    /// The runner file for `loaded`: `given` (it must exist), else the one in the automations file's folder, else
    /// none. Every problem is a positioned error.
    public static func load(
        given: String?,
        for loaded: LoadedAutomationsFile,
        workingDirectory: String
    ) throws(ConfigError) -> LoadedRunnerFile? {
        let path: String
        let displayPath: String
        if let given {
            path = given.hasPrefix("/") ? given : workingDirectory + "/" + given
            displayPath = given
        } else {
            guard let automations = loaded.path else { return nil }
            let folder = (automations as NSString).deletingLastPathComponent
            path = folder + "/" + fileName
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            let shownFolder = (loaded.displayPath as NSString).deletingLastPathComponent
            displayPath = shownFolder.isEmpty ? fileName : shownFolder + "/" + fileName
        }
        let bytes = try SourceReader.read(path: path, displayPath: displayPath)
        let checked = check(bytes, displayPath: displayPath, file: loaded.file)
        guard checked.errors.isEmpty else { throw ConfigError(checked.errors) }
        return LoadedRunnerFile(settings: checked.settings, displayPath: displayPath, path: path)
    }

    /// AU008: the quarantine entries past their date (`today` is `YYYY-MM-DD`): they no longer quarantine.
    public static func expiredQuarantine(_ runner: LoadedRunnerFile, today: String) -> [Diagnostic] {
        runner.settings.quarantine.filter { $0.until < today }.map { entry in
            let message =
                "the quarantine of '\(entry.test)' (owner \(entry.owner)) ended on \(entry.until): its failures fail the run "
                + "again; fix it, or extend the date"
            var warning =
                entry.location.map { Diagnostic(.warning, at: $0, message) }
                ?? Diagnostic(.warning, file: runner.displayPath, message)
            warning.code = WarningRule.quarantineExpired.code
            return warning
        }
    }

    /// The settings of a runner file's bytes and every problem in them, ordered by position.
    public static func check(
        _ bytes: [UInt8],
        displayPath: String,
        file: AutomationsFile
    ) -> (settings: RunnerSettings, errors: [Diagnostic]) {
        let root: Node?
        do {
            let text = try YAMLDocumentParser.decodeUTF8(bytes, displayPath: displayPath)
            root = try YAMLDocumentParser.parse(text: text, displayPath: displayPath)
        } catch {
            return (RunnerSettings(), error.diagnostics)
        }
        var decoder = RunnerFileDecoder(displayPath: displayPath, file: file)
        let settings = decoder.decode(root)
        return (settings, decoder.reader.diagnostics.sortedByPosition())
    }
}
