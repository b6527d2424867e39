import AutomationsRuntime
import Foundation

/// The content digests of files hashed before, by path, kept while the file's size, times and inode are unchanged:
/// a warm run hashes only what changed. Saved in the cache folder, one file per working directory.
package final class StatCache: @unchecked Sendable {
    private struct Entry: Codable {
        var size: Int
        var modified: Int64
        var changed: Int64
        var inode: UInt64
        var hash: String
    }

    private let path: String?
    private var entries: [String: Entry]
    private var changed = false
    private let lock = NSLock()

    /// A cache kept at `path` (`nil`: in memory only).
    package init(path: String?) {
        self.path = path
        if let path, let data = FileManager.default.contents(atPath: path),
            let entries = try? JSONDecoder().decode([String: Entry].self, from: data)
        {
            self.entries = entries
        } else {
            entries = [:]
        }
    }

    /// The SHA-256 of the file at `absolute` (its link target's text for a symbolic link); `nil` when it is gone.
    package func digest(of absolute: String) -> String? {
        guard let status = FileStatus(path: absolute) else { return nil }
        if let known = lock.withLock({ entries[absolute] }), known.size == status.size,
            known.modified == status.modified, known.changed == status.changed, known.inode == status.inode
        {
            return known.hash
        }
        let hash: String
        if status.isSymbolicLink {
            hash =
                ContentDigest(
                    of: "link:" + ((try? FileManager.default.destinationOfSymbolicLink(atPath: absolute)) ?? "")
                ).hash
        } else if let digest = ContentDigest(ofFile: absolute) {
            hash = digest.hash
        } else {
            return nil
        }
        let entry = Entry(
            size: status.size,
            modified: status.modified,
            changed: status.changed,
            inode: status.inode,
            hash: hash
        )
        lock.withLock {
            entries[absolute] = entry
            changed = true
        }
        return hash
    }

    /// Writes the cache back when something was hashed (a problem only loses speed).
    package func save() {
        guard let path else { return }
        let data: Data? = lock.withLock {
            guard changed else { return nil }
            changed = false
            return try? JSONEncoder().encode(entries)
        }
        guard let data else { return }
        try? AtomicFile.createFolder(containing: path)
        try? AtomicFile.write(Array(data), to: path)
    }
}
