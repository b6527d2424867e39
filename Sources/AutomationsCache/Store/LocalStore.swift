package import AutomationsRuntime
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The cache on this machine: `ac/KEY` (an `ActionResult`) and `cas/HH/HASH` (contents), written atomically (a
/// temporary file renamed into place), so that runs sharing the folder never read half an entry. Reading an entry
/// touches it; ``trim(to:)`` removes the least recently used first.
package struct LocalStore: Sendable {
    package let folder: String

    package init(folder: String) {
        self.folder = folder
    }

    /// `$XDG_CACHE_HOME/automations`, else `~/.cache/automations`.
    package static func defaultFolder(environment: [String: String]) -> String {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/automations" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.cache/automations"
    }

    private func actionPath(_ key: String) -> String { folder + "/ac/" + key }

    private func contentPath(_ hash: String) -> String { folder + "/cas/" + hash.prefix(2) + "/" + hash }

    package func action(_ key: String) -> [UInt8]? {
        read(actionPath(key))
    }

    package func content(_ digest: ContentDigest) -> [UInt8]? {
        read(contentPath(digest.hash))
    }

    package func hasContent(_ digest: ContentDigest) -> Bool {
        FileManager.default.fileExists(atPath: contentPath(digest.hash))
    }

    /// The path of a stored content, to copy from without reading it into memory.
    package func contentFile(_ digest: ContentDigest) -> String? {
        let path = contentPath(digest.hash)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        touch(path)
        return path
    }

    package func putAction(_ key: String, _ bytes: [UInt8]) throws(FileWriteError) {
        try write(bytes, to: actionPath(key))
    }

    package func putContent(_ digest: ContentDigest, _ bytes: [UInt8]) throws(FileWriteError) {
        let path = contentPath(digest.hash)
        if FileManager.default.fileExists(atPath: path) {
            touch(path)
            return
        }
        try write(bytes, to: path)
    }

    private func read(_ path: String) -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        touch(path)
        return Array(data)
    }

    private func write(_ bytes: [UInt8], to path: String) throws(FileWriteError) {
        try AtomicFile.createFolder(containing: path)
        try AtomicFile.write(bytes, to: path)
    }

    /// Marks the file as just used (its modification time orders the least recently used).
    private func touch(_ path: String) {
        _ = utimensat(AT_FDCWD, path, nil, 0)
    }

    /// Removes the least recently used files until the folder holds at most `limit` bytes; returns how many it
    /// removed. A file another run removes first is skipped.
    @discardableResult
    package func trim(to limit: Int) -> Int {
        var files: [(path: String, size: Int, used: Double)] = []
        var total = 0
        for sub in ["ac", "cas"] {
            let base = folder + "/" + sub
            guard let enumerator = FileManager.default.enumerator(atPath: base) else { continue }
            while let relative = enumerator.nextObject() as? String {
                let path = base + "/" + relative
                var info = stat()
                guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
                let used = FileStatus.modificationTime(info)
                files.append((path, Int(info.st_size), used))
                total += Int(info.st_size)
            }
        }
        guard total > limit else { return 0 }
        var removed = 0
        for file in files.sorted(by: { $0.used < $1.used }) where total > limit {
            if unlink(file.path) == 0 { removed += 1 }
            total -= file.size
        }
        return removed
    }
}
