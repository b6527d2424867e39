/// Workflow commands that GitHub Actions reads from a step's output.
import Foundation

enum GitHubActions {
    /// `::error title=…::message` (or `::warning`), with the escaping GitHub requires.
    static func error(title: String, message: String, warning: Bool) -> String {
        "::\(warning ? "warning" : "error") title=\(escapeProperty(title))::\(escapeData(message))\n"
    }

    static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
