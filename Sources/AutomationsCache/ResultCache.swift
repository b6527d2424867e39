import AutomationsRuntime
import Foundation

/// A step's stored success, read and checked: its record, its log and its files, all present in the local store.
package struct CachedResult: Sendable {
    package var key: String
    package var entry: CacheEntry
    package var log: ContentDigest?
    /// The files to write back into the working tree (declared outputs).
    package var outputs: [ActionResult.OutputFile]
    /// The JUnit files the step wrote, by their paths in the working tree.
    package var junitFiles: [ActionResult.OutputFile]
    /// Where it was found.
    package var fromRemote: Bool

    package init(
        key: String,
        entry: CacheEntry,
        log: ContentDigest?,
        outputs: [ActionResult.OutputFile],
        junitFiles: [ActionResult.OutputFile],
        fromRemote: Bool
    ) {
        self.key = key
        self.entry = entry
        self.log = log
        self.outputs = outputs
        self.junitFiles = junitFiles
        self.fromRemote = fromRemote
    }
}

/// The result cache: the local store first, then the shared one (what it has is copied here). Entries are
/// untrusted: a digest that does not match its content, an entry over the size limit, or an output path outside the
/// working tree is refused with a warning, and the step runs.
package final class ResultCache: Sendable {
    package let local: LocalStore
    package let remote: RemoteStore?
    /// Reads but never writes (pull requests from forks).
    package let readOnly: Bool
    /// The most an entry (its files and log together) may hold.
    package let maxEntrySize: Int
    let warn: @Sendable (String) -> Void

    package init(
        local: LocalStore,
        remote: RemoteStore?,
        readOnly: Bool,
        maxEntrySize: Int,
        warn: @escaping @Sendable (String) -> Void
    ) {
        self.local = local
        self.remote = remote
        self.readOnly = readOnly
        self.maxEntrySize = maxEntrySize
        self.warn = warn
    }

    /// The stored success of `key`, checked, with every content it names in the local store; `nil` for a miss.
    package func lookup(_ key: String) -> CachedResult? {
        if let bytes = local.action(key), let found = check(key, bytes, fromRemote: false) { return found }
        guard let remote, let bytes = remote.action(key, limit: 1024 * 1024) else { return nil }
        guard let result = check(key, bytes, fromRemote: true) else { return nil }
        if !readOnly { try? local.putAction(key, bytes) }
        return result
    }

    /// Parses and checks an entry, fetching what the local store lacks.
    private func check(_ key: String, _ bytes: [UInt8], fromRemote: Bool) -> CachedResult? {
        guard let action = ActionResult(decoding: bytes), action.exitCode == 0 else {
            warn("cache entry \(key.prefix(12)) is not a valid result; the step runs")
            return nil
        }
        let total = action.outputFiles.reduce(action.stdoutDigest?.size ?? 0) { $0 + $1.digest.size }
        guard total <= maxEntrySize else {
            warn("cache entry \(key.prefix(12)) holds \(total) bytes, over the limit of \(maxEntrySize); the step runs")
            return nil
        }
        var outputs: [ActionResult.OutputFile] = []
        var junit: [ActionResult.OutputFile] = []
        var entry: CacheEntry?
        for file in action.outputFiles {
            if file.path == CacheEntry.path {
                entry = fetch(file.digest).flatMap(CacheEntry.decode)
                continue
            }
            var target = file
            if file.path.hasPrefix(CacheEntry.junitPrefix) {
                target.path = String(file.path.dropFirst(CacheEntry.junitPrefix.count))
            }
            guard SafePath.isInside(target.path) else {
                warn(
                    "cache entry \(key.prefix(12)) names the output '\(file.path)' outside the working tree; the step runs"
                )
                return nil
            }
            guard fetch(file.digest) != nil else { return nil }
            if file.path.hasPrefix(CacheEntry.junitPrefix) { junit.append(target) } else { outputs.append(target) }
        }
        if let log = action.stdoutDigest, fetch(log) == nil { return nil }
        guard let entry else {
            warn("cache entry \(key.prefix(12)) has no record of its run; the step runs")
            return nil
        }
        return CachedResult(
            key: key,
            entry: entry,
            log: action.stdoutDigest,
            outputs: outputs,
            junitFiles: junit,
            fromRemote: fromRemote
        )
    }

    /// A content, from the local store or fetched from the remote one; refused when it does not match its digest.
    private func fetch(_ digest: ContentDigest) -> [UInt8]? {
        if let bytes = local.content(digest) {
            if ContentDigest(of: bytes) == digest { return bytes }
            warn("the cached content \(digest.hash.prefix(12)) does not match its digest; it is ignored")
            return nil
        }
        guard let remote, let bytes = remote.content(digest, limit: maxEntrySize) else { return nil }
        guard ContentDigest(of: bytes) == digest else {
            warn("the remote cache's content \(digest.hash.prefix(12)) does not match its digest; the step runs")
            return nil
        }
        if !readOnly { try? local.putContent(digest, bytes) }
        return bytes
    }
}
