import Foundation

/// Where runs are recorded (`--history`, `AUTOMATIONS_HISTORY`, `--no-history`).
package struct HistorySettings: Sendable {
    package var enabled = true
    /// A file path or `postgres://…`; `nil`: `.automations/history.sqlite` in the working directory.
    package var location: String?

    package init(enabled: Bool = true, location: String? = nil) {
        self.enabled = enabled
        self.location = location
    }

    /// The location to use for a run in `workingDirectory`.
    package func resolved(in workingDirectory: String) -> String {
        guard let location else { return workingDirectory + "/.automations/history.sqlite" }
        if location.contains("://") || location.hasPrefix("/") { return location }
        return workingDirectory + "/" + location
    }

    /// What messages show (a PostgreSQL password is not).
    package static func shown(_ location: String) -> String {
        guard var components = URLComponents(string: location), components.password != nil else { return location }
        components.password = "***"
        return components.string ?? location
    }
}
