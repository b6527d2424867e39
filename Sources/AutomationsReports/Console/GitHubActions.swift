public import AutomationsModel
import Foundation

/// Workflow commands that GitHub Actions reads from a step's output.
public enum GitHubActions {
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

    /// A diagnostic of the file as an annotation of its line (`::warning file=…,line=…,col=…,title=AU001::…`).
    public static func annotation(for diagnostic: Diagnostic) -> String {
        let title = diagnostic.code.map { "automations \($0)" } ?? "invalid automations file"
        var text = error(
            title: title,
            message: diagnostic.message,
            warning: diagnostic.severity == .warning,
            at: diagnostic.location
        )
        if diagnostic.location == nil, let file = diagnostic.file {
            text = text.replacingOccurrences(
                of: "::\(diagnostic.severity.rawValue) ",
                with: "::\(diagnostic.severity.rawValue) file=\(escapeProperty(file)),"
            )
        }
        return text
    }

    static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
