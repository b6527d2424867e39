import AutomationsModel
import Yams

/// Turns the bytes of a file into one YAML node tree, or one clear diagnostic saying why it cannot.
enum YAMLDocumentParser {
    /// The root node, or `nil` for a file with no content (empty, only comments, or an empty document).
    /// - Throws: ``ConfigError`` with one positioned diagnostic.
    static func parse(_ bytes: [UInt8], displayPath: String) throws(ConfigError) -> Node? {
        try parse(text: decodeUTF8(bytes, displayPath: displayPath), displayPath: displayPath)
    }

    /// The root node of text already decoded (``decodeUTF8(_:displayPath:)``).
    static func parse(text: String, displayPath: String) throws(ConfigError) -> Node? {
        if let position = AliasKeyGuard.firstAliasKey(in: text) {
            throw ConfigError([
                Diagnostic(
                    at: SourceLocation(file: displayPath, line: position.line, column: position.column),
                    "YAML aliases cannot be used as keys (and explicit '?' keys cannot be used with aliases): keys are "
                        + "plain names, and an alias key can take exponential time to read"
                )
            ])
        }
        do {
            // No implicit typing: scalars are typed by the decoder, and the default resolver runs regular expressions on
            // every scalar.
            let parser = try Parser(yaml: text, resolver: .basic)
            return try parser.singleRoot()
        } catch let error as YamlError {
            throw ConfigError([diagnostic(for: error, in: text, displayPath: displayPath)])
        } catch {
            throw ConfigError(file: displayPath, "cannot parse the file: \(error)")
        }
    }

    /// Strict UTF-8 decoding; the position of the first invalid byte is reported.
    static func decodeUTF8(_ bytes: [UInt8], displayPath: String) throws(ConfigError) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var line = 1
        var column = 1
        var offset = 0
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
                if scalar == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .emptyInput:
                break loop
            case .error:
                break loop
            }
        }
        let location = SourceLocation(file: displayPath, line: line, column: column)
        let byte = offset < bytes.count ? " (byte 0x\(String(bytes[offset], radix: 16, uppercase: true)))" : ""
        throw ConfigError([
            Diagnostic(at: location, "the file is not valid UTF-8\(byte); an automations file is YAML or JSON text")
        ])
    }

    private static func diagnostic(for error: YamlError, in text: String, displayPath: String) -> Diagnostic {
        func at(_ mark: Mark) -> SourceLocation {
            SourceLocation(file: displayPath, line: mark.line, column: mark.column)
        }
        func contextSuffix(_ context: YamlError.Context?) -> String {
            guard let context else { return "" }
            return " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            if character(atLine: mark.line, column: mark.column, in: text) == "\t" {
                // One position, the tab's: libyaml's context (the scalar it was reading) points elsewhere.
                return Diagnostic(
                    at: at(mark),
                    "a tab character indents this line; YAML is indented with spaces, not tabs"
                )
            }
            return Diagnostic(at: at(mark), "invalid YAML: \(problem)\(contextSuffix(context))")
        case .composer(let context, let problem, let mark, _):
            if context?.text.hasPrefix("expected a single document") == true {
                return Diagnostic(
                    at: at(mark),
                    "the file holds more than one YAML document; an automations file is a single document"
                )
            }
            return Diagnostic(at: at(mark), "invalid YAML: \(problem)\(contextSuffix(context))")
        case .reader(let problem, let offset, _, _):
            let location = offset.map { characterOffset in
                let position = position(ofCharacterOffset: characterOffset, in: text)
                return SourceLocation(file: displayPath, line: position.line, column: position.column)
            }
            let message = "the file cannot be read as YAML: \(problem)"
            return location.map { Diagnostic(at: $0, message) } ?? Diagnostic(file: displayPath, message)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? ""
            let first = context.mark
            if let second = DuplicateKeyFinder.secondOccurrence(of: key, after: first, in: text) {
                return Diagnostic(
                    at: SourceLocation(file: displayPath, line: second.line, column: second.column),
                    "duplicate key '\(key)' (first at line \(first.line), column \(first.column))"
                )
            }
            return Diagnostic(at: at(first), "duplicate key '\(key)' in this mapping")
        case .memory:
            return Diagnostic(file: displayPath, "the file is too large to parse")
        default:
            return Diagnostic(file: displayPath, "cannot parse the file: \(error)")
        }
    }

    private static func character(atLine line: Int, column: Int, in text: String) -> Unicode.Scalar? {
        var current = 1
        for candidate in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == line {
                let scalars = candidate.unicodeScalars
                guard column >= 1, column <= scalars.count else { return nil }
                return scalars[scalars.index(scalars.startIndex, offsetBy: column - 1)]
            }
            current += 1
        }
        return nil
    }

    private static func position(ofCharacterOffset offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for character in text.prefix(offset) {
            if character.isNewline {
                line += 1
                column = 1
            } else {
                column += character.unicodeScalars.count
            }
        }
        return (line, column)
    }
}
