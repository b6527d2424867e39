import Yams

/// Finds where a duplicated key is written the second time (Yams reports only the first occurrence).
enum DuplicateKeyFinder {
    /// The position of the next key token `key` after `first` that starts at the same column on a later line
    /// (block style), or that follows `{` or `,` (flow style).
    static func secondOccurrence(of key: String, after first: Mark, in text: String) -> (line: Int, column: Int)? {
        let spellings = [key, "\"\(key)\"", "'\(key)'"]
        var line = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            line += 1
            guard line >= first.line else { continue }
            let scalars = Array(rawLine.unicodeScalars)
            var column = 0
            while column < scalars.count {
                let startsAKey: Bool
                if line == first.line && column + 1 <= first.column {
                    startsAKey = false
                } else if column + 1 == first.column && line > first.line {
                    startsAKey = scalars[..<column].allSatisfy { $0 == " " || $0 == "-" }
                } else {
                    let before = scalars[..<column].last { $0 != " " && $0 != "\t" }
                    startsAKey = before == "{" || before == ","
                }
                if startsAKey, let spelling = spellings.first(where: { matches($0, scalars, at: column) }) {
                    var after = column + spelling.unicodeScalars.count
                    while after < scalars.count && scalars[after] == " " { after += 1 }
                    if after < scalars.count && scalars[after] == ":" {
                        return (line, column + 1)
                    }
                }
                column += 1
            }
        }
        return nil
    }

    private static func matches(_ spelling: String, _ scalars: [Unicode.Scalar], at column: Int) -> Bool {
        let wanted = Array(spelling.unicodeScalars)
        guard column + wanted.count <= scalars.count else { return false }
        return Array(scalars[column..<column + wanted.count]) == wanted
    }
}
