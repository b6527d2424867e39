import AutomationsModel
import Foundation

/// GitLab CI's collapsible sections in a job log.
enum GitLabCI {
    /// A section name GitLab accepts (letters, digits, `_`, `.`, `-`), unique per step.
    static func sectionName(_ source: OutputSource) -> String {
        let name = "\(source.kind.rawValue)_\(source.reference)".map { character -> Character in
            character.isLetter || character.isNumber || "_.-".contains(character) ? character : "_"
        }
        return String(name)
    }

    static func sectionStart(_ name: String, title: String, collapsed: Bool) -> String {
        let options = collapsed ? "[collapsed=true]" : ""
        return "\u{1B}[0Ksection_start:\(now()):\(name)\(options)\r\u{1B}[0K\(title)\n"
    }

    static func sectionEnd(_ name: String) -> String {
        "\u{1B}[0Ksection_end:\(now()):\(name)\r\u{1B}[0K\n"
    }

    private static func now() -> Int { Int(Date().timeIntervalSince1970) }
}
