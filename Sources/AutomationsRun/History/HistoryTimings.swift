import AutomationsHistory
import Foundation

/// Shard timings from the history: each task's median over its last 10 passing runs (used when no `--timings` is
/// given).
package enum HistoryTimings {
    /// The durations, and a line saying where they came from; `nil` when the history has none or cannot be read
    /// (the split is then even, as without timings).
    package static func load(
        settings: HistorySettings,
        workingDirectory: String
    ) async -> (durations: [String: Duration], notice: String)? {
        guard settings.enabled else { return nil }
        let location = settings.resolved(in: workingDirectory)
        // A missing file is an empty history: nothing is created for a question.
        if !location.contains("://"), !FileManager.default.fileExists(atPath: location) { return nil }
        guard let store = try? await HistoryStore.open(location) else { return nil }
        let durations = try? await store.usualDurations(last: 10)
        await store.close()
        guard let durations, !durations.isEmpty else { return nil }
        return (
            durations,
            "shard timings: the median of the last 10 passing runs of \(durations.count) task\(durations.count == 1 ? "" : "s") "
                + "from the history (\(HistorySettings.shown(location)))"
        )
    }
}
