public import AutomationsModel
import Yams

/// A checked automations file and where it came from.
public struct LoadedAutomationsFile: Sendable {
    public var file: AutomationsFile
    /// The path as shown in messages (`<stdin>` for standard input).
    public var displayPath: String
    /// The directory commands run in by default (spec section 5).
    public var rootDirectory: String
    /// What the file does that is valid but will likely go wrong (``WarningRule``), in file order.
    public var warnings: [Diagnostic] = []
    /// The file's absolute path; `nil` when it was read from standard input.
    public var path: String?
    /// The runner file's settings (spec section 8), when there is one (``RunnerFileLoader``).
    public var runner: LoadedRunnerFile?
}

/// A file's content with every error and warning found in it.
public struct CheckedFile: Sendable {
    /// What could be read; complete only without errors.
    public var file: AutomationsFile
    public var errors: [Diagnostic]
    public var warnings: [Diagnostic]
}

/// Reads and checks automations files: the entry point of this module.
public enum AutomationsConfigLoader {
    /// What messages call standard input.
    public static let standardInputName = "<stdin>"

    /// Loads the file at `path` (`-` for standard input), or the one found from `workingDirectory` upward.
    /// - Throws: ``ConfigError`` with every problem of the file, ordered by position.
    /// `warnings`: also look for what the file gets wrong although valid (only `validate` and `run` show it).
    public static func load(
        path: String?,
        workingDirectory: String,
        warnings: Bool = false
    ) throws(ConfigError) -> LoadedAutomationsFile {
        let resolvedPath: String
        let displayPath: String
        if let path {
            resolvedPath = path == "-" || path.isEmpty ? path : absolute(path, workingDirectory)
            displayPath = path == "-" ? standardInputName : path
        } else if let found = AutomationsFileLocator.locate(from: workingDirectory) {
            resolvedPath = found
            displayPath = displayName(found, from: workingDirectory)
        } else {
            let places = AutomationsFileLocator.candidates.joined(separator: ", ")
            throw ConfigError(
                file: nil,
                "no automations file found in \(workingDirectory) or its parents (looked for \(places)); "
                    + "pass --file PATH"
            )
        }
        let bytes = try SourceReader.read(path: resolvedPath, displayPath: displayPath)
        let checked = check(bytes, displayPath: displayPath, warnings: warnings)
        guard checked.errors.isEmpty else { throw ConfigError(checked.errors, warnings: checked.warnings) }
        let root =
            resolvedPath == "-" ? workingDirectory : AutomationsFileLocator.rootDirectory(forFileAt: resolvedPath)
        return LoadedAutomationsFile(
            file: checked.file,
            displayPath: displayPath,
            rootDirectory: root,
            warnings: checked.warnings,
            path: resolvedPath == "-" ? nil : resolvedPath
        )
    }

    /// Checks the bytes of an automations file (YAML or JSON).
    /// - Throws: ``ConfigError`` with every problem, ordered by position.
    public static func parse(_ bytes: [UInt8], displayPath: String) throws(ConfigError) -> AutomationsFile {
        let checked = check(bytes, displayPath: displayPath, warnings: false)
        guard checked.errors.isEmpty else { throw ConfigError(checked.errors) }
        return checked.file
    }

    /// Every error and warning of the bytes of an automations file. The warnings cover what could be read: none
    /// when the text is not YAML at all.
    public static func check(_ bytes: [UInt8], displayPath: String, warnings: Bool = true) -> CheckedFile {
        let text: String
        let root: Node?
        do {
            text = try YAMLDocumentParser.decodeUTF8(bytes, displayPath: displayPath)
            root = try YAMLDocumentParser.parse(text: text, displayPath: displayPath)
        } catch {
            return CheckedFile(file: AutomationsFile(), errors: error.diagnostics, warnings: [])
        }
        var decoder = AutomationsFileDecoder(displayPath: displayPath)
        let file = decoder.decode(root)
        let errors = decoder.problems(in: file).sortedByPosition()
        guard warnings else { return CheckedFile(file: file, errors: errors, warnings: []) }
        let lint = FileLint(file: file, sources: decoder.lintSources, text: text, displayPath: displayPath)
        return CheckedFile(file: file, errors: errors, warnings: lint.warnings())
    }

    /// AU007 for `validate --trigger`: what nothing starts in a run with that trigger.
    public static func unreachableWarnings(
        in file: AutomationsFile,
        displayPath: String,
        trigger: Trigger
    ) -> [Diagnostic] {
        FileLint.unreachable(in: file, trigger: trigger, displayPath: displayPath)
    }

    private static func absolute(_ path: String, _ workingDirectory: String) -> String {
        path.hasPrefix("/") ? path : workingDirectory + "/" + path
    }

    /// Paths under the working directory are shown relative to it, as the user would type them.
    private static func displayName(_ path: String, from workingDirectory: String) -> String {
        let prefix = workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
