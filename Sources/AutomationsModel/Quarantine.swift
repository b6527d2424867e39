public import Foundation

/// The failures that do not fail the run: the runner file's `quarantine` entries still in force.
public struct Quarantine: Sendable, Equatable {
    /// Entries by what they name: a step's reference, or an inner test as `REF/SUITE/NAME`.
    public var entries: [String: RunnerSettings.QuarantineEntry]

    /// The entries whose `until` is today or later.
    public init(_ settings: RunnerSettings, today: String = Quarantine.today()) {
        var entries: [String: RunnerSettings.QuarantineEntry] = [:]
        for entry in settings.quarantine where entry.until >= today { entries[entry.test] = entry }
        self.entries = entries
    }

    public init() {
        entries = [:]
    }

    /// `YYYY-MM-DD` in this machine's time zone.
    public static func today(_ date: Date = Date()) -> String {
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}

/// Why a failure did not fail the run: a quarantine entry.
public struct QuarantineNote: Sendable, Hashable, CustomStringConvertible {
    public var owner: String
    public var until: String
    public var reason: String

    public init(_ entry: RunnerSettings.QuarantineEntry) {
        owner = entry.owner
        until = entry.until
        reason = entry.reason
    }

    /// `quarantined until 2027-01-31 (owner shop-team): payment sandbox times out`.
    public var description: String { "quarantined until \(until) (owner \(owner)): \(reason)" }
}
