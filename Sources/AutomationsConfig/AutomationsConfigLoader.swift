public import AutomationsModel

/// A checked automations file and where it came from.
public struct LoadedAutomationsFile: Sendable {
    public var file: AutomationsFile
    /// The path as shown in messages (`<stdin>` for standard input).
    public var displayPath: String
    /// The directory commands run in by default (spec section 5).
    public var rootDirectory: String
}

/// Reads and checks automations files: the entry point of this module.
public enum AutomationsConfigLoader {
    /// What messages call standard input.
    public static let standardInputName = "<stdin>"

    /// Loads the file at `path` (`-` for standard input), or the one found from `workingDirectory` upward.
    /// - Throws: ``ConfigError`` with every problem of the file, ordered by position.
    public static func load(path: String?, workingDirectory: String) throws(ConfigError) -> LoadedAutomationsFile {
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
        let file = try parse(bytes, displayPath: displayPath)
        let root =
            resolvedPath == "-" ? workingDirectory : AutomationsFileLocator.rootDirectory(forFileAt: resolvedPath)
        return LoadedAutomationsFile(file: file, displayPath: displayPath, rootDirectory: root)
    }

    /// Checks the bytes of an automations file (YAML or JSON).
    /// - Throws: ``ConfigError`` with every problem, ordered by position.
    public static func parse(_ bytes: [UInt8], displayPath: String) throws(ConfigError) -> AutomationsFile {
        let root = try YAMLDocumentParser.parse(bytes, displayPath: displayPath)
        var decoder = AutomationsFileDecoder(displayPath: displayPath)
        let file = decoder.decode(root)
        let diagnostics = decoder.problems(in: file)
        guard diagnostics.isEmpty else { throw ConfigError(diagnostics.sortedByPosition()) }
        return file
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
