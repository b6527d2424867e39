import AutomationsModel
import Foundation

/// Refuses aliases used as mapping keys before the YAML is parsed. Yams hashes every key to find duplicates, and an
/// alias key that refers to nested aliases ("billion laughs") is hashed through all of its expansion: exponential
/// time. Keys of an automations file are plain names, so nothing valid is lost.
///
/// The check reads the text, not the YAML structure: it looks for `*name :` where `&name` is an anchor of the file,
/// and, in a file with anchors, for explicit `?` keys; text inside quotes and comments is skipped.
enum AliasKeyGuard {
    /// The position of the first alias used as a key, or of an explicit `?` key in a file that has anchors.
    static func firstAliasKey(in text: String) -> (line: Int, column: Int)? {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        let anchors = anchorNames(lines)
        guard !anchors.isEmpty else { return nil }
        for (lineIndex, scalars) in lines.enumerated() {
            var index = 0
            var quote: Unicode.Scalar?
            while index < scalars.count {
                let scalar = scalars[index]
                if let open = quote {
                    if scalar == "\\" && open == "\"" {
                        index += 2
                        continue
                    }
                    if scalar == open { quote = nil }
                    index += 1
                    continue
                }
                if scalar == "#" && (index == 0 || scalars[index - 1] == " ") { break }
                if (scalar == "\"" || scalar == "'") && startsToken(scalars, at: index) { quote = scalar }
                if scalar == "*", startsToken(scalars, at: index), let name = aliasKeyName(scalars, from: index),
                    anchors.contains(name)
                {
                    return (lineIndex + 1, index + 1)
                }
                if scalar == "?", isExplicitKeyIndicator(scalars, at: index) {
                    return (lineIndex + 1, index + 1)
                }
                index += 1
            }
        }
        return nil
    }

    private static let stops: Set<Unicode.Scalar> = [" ", "\t", "[", "]", "{", "}", ","]

    private static func startsToken(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        index == 0 || [" ", "\t", "[", "{", ",", ":", "-", "?"].contains(scalars[index - 1])
    }

    /// Every `&name` that starts a token.
    private static func anchorNames(_ lines: [[Unicode.Scalar]]) -> Set<String> {
        var names: Set<String> = []
        for scalars in lines {
            for index in scalars.indices where scalars[index] == "&" && startsToken(scalars, at: index) {
                var end = index + 1
                while end < scalars.count, !stops.contains(scalars[end]) { end += 1 }
                if end > index + 1 {
                    var name = String.UnicodeScalarView()
                    name.append(contentsOf: scalars[(index + 1)..<end])
                    names.insert(String(name))
                }
            }
        }
        return names
    }

    /// The name of `*name :` (an alias followed by a key colon), or `nil`.
    private static func aliasKeyName(_ scalars: [Unicode.Scalar], from start: Int) -> String? {
        var index = start + 1
        while index < scalars.count, !stops.contains(scalars[index]) { index += 1 }
        guard index > start + 1 else { return nil }
        var after = index
        while after < scalars.count, scalars[after] == " " || scalars[after] == "\t" { after += 1 }
        guard after > index, after < scalars.count, scalars[after] == ":" else { return nil }
        let next = after + 1
        guard next == scalars.count || scalars[next] == " " || scalars[next] == "\t" else { return nil }
        var name = String.UnicodeScalarView()
        name.append(contentsOf: scalars[(start + 1)..<index])
        return String(name)
    }

    /// `?` followed by a space or the end of the line, after only indentation, `- `, `{` or `,`.
    private static func isExplicitKeyIndicator(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        let next = index + 1
        guard next == scalars.count || scalars[next] == " " || scalars[next] == "\t" else { return false }
        let before = scalars[..<index].last { $0 != " " && $0 != "\t" }
        return before == nil || before == "-" || before == "{" || before == ","
    }
}
