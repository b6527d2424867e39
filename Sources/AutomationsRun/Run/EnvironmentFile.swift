import Foundation

/// `KEY=VALUE` assignments (`--env`) and env files of them (`--env-file`).
package enum EnvironmentFile {
    /// `KEY=VALUE` split, with the key checked; `nil` for a malformed entry.
    package static func assignment(_ text: Substring) -> (key: String, value: String)? {
        guard let equals = text.firstIndex(of: "=") else { return nil }
        let key = String(text[..<equals])
        guard let first = key.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic),
            key.unicodeScalars.allSatisfy({
                $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
            })
        else { return nil }
        return (key, String(text[text.index(after: equals)...]))
    }

    /// The variables of an env file: `KEY=VALUE` lines, `export KEY=VALUE`, blank lines and `#` comments; values
    /// may be wrapped in single or double quotes.
    /// - Throws: ``EnvironmentFileError`` naming the file and line of a malformed entry.
    package static func parse(_ path: String) throws(EnvironmentFileError) -> [(String, String)] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw EnvironmentFileError.unreadable(path: path)
        }
        var result: [(String, String)] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = rawLine.trimmingCharacters(in: .whitespaces)[...]
            if line.hasSuffix("\r") { line = line.dropLast() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = line.dropFirst("export ".count) }
            guard let (key, written) = assignment(line) else {
                throw EnvironmentFileError.notAnAssignment(path: path, line: index + 1, text: String(rawLine))
            }
            var value = written
            if value.count >= 2, let quote = value.first, quote == "\"" || quote == "'", value.last == quote {
                value = String(value.dropFirst().dropLast())
            }
            result.append((key, value))
        }
        return result
    }
}

/// Why an env file (`--env-file`) cannot be used.
package enum EnvironmentFileError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String)
    /// A line that is no `KEY=VALUE` (nor blank, a comment or `export KEY=VALUE`).
    case notAnAssignment(path: String, line: Int, text: String)

    package var description: String {
        switch self {
        case .unreadable(let path): "cannot read the env file '\(path)'"
        case .notAnAssignment(let path, let line, let text):
            "\(path):\(line): error: expected KEY=VALUE, found '\(text)'"
        }
    }
}
