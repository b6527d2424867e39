import AutomationsCache
import AutomationsModel
import AutomationsRuntime
import Foundation

extension RunCache {
    /// Restores a hit instead of running the task: its outputs and JUnit files are written back into the working
    /// tree; returns the hit and its log, marked as restored. `nil` when something cannot be restored (the task then
    /// runs).
    func restore(_ reference: String, warn: @Sendable (String) -> Void) -> (hit: CacheHit, log: [UInt8])? {
        guard let result = hits[reference] else { return nil }
        for file in result.outputs + result.junitFiles {
            guard SafePath.hasNoLinkOnTheWay(file.path, root: workingDirectory) else {
                warn(
                    "the cached output '\(file.path)' of '\(reference)' would be written through a symbolic link; it runs"
                )
                return nil
            }
            guard let bytes = cache.local.content(file.digest), ContentDigest(of: bytes) == file.digest else {
                warn("the cached output '\(file.path)' of '\(reference)' is gone or damaged; it runs")
                return nil
            }
            let target = workingDirectory + "/" + file.path
            do {
                try AtomicFile.createFolder(containing: target)
                try AtomicFile.write(bytes, to: target, mode: file.isExecutable ? 0o755 : 0o644)
            } catch {
                warn("cannot restore '\(file.path)' of '\(reference)': \(error); it runs")
                return nil
            }
        }
        let entry = result.entry
        let hit = CacheHit(
            key: result.key,
            storedAt: entry.storedAt,
            commit: entry.commit,
            saved: .nanoseconds(Int64(entry.durationSeconds * 1e9)),
            flaky: entry.flaky,
            fromRemote: result.fromRemote
        )
        if let key = keys[reference] { manifests.record(key) }
        let log = result.log.flatMap { cache.local.content($0) } ?? []
        let place = entry.commit.map { " at \($0)" } ?? ""
        let header =
            "── restored from the result cache (key \(result.key.prefix(12))): passed "
            + "\(ISO8601DateFormatter().string(from: entry.storedAt))\(place) ──\n"
        return (hit, Array(header.utf8) + log)
    }
}
