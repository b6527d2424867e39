import AutomationsModel
import Foundation

/// Workflow commands that GitHub Actions reads from a step's output.
enum GitHubActions {
    /// `::error file=…,line=…,title=…::message` (or `::warning`), with the escaping GitHub requires; with a location,
    /// GitHub annotates that line of the automations file in the pull request.
    static func error(title: String, message: String, warning: Bool, at location: SourceLocation? = nil) -> String {
        var properties = ""
        if let location {
            properties = "file=\(escapeProperty(location.file)),line=\(location.line),col=\(location.column),"
        }
        return
            "::\(warning ? "warning" : "error") \(properties)title=\(escapeProperty(title))::\(escapeData(message))\n"
    }

    static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
