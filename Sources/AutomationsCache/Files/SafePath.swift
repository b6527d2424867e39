#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether a path from a cache entry stays inside the working tree: relative, no `..`, and (when written) not
/// through a symbolic link.
package enum SafePath {
    package static func isInside(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/") else { return false }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return !parts.contains { $0 == ".." || $0 == "." || $0.isEmpty } && !path.contains("\0")
    }

    /// Whether every folder on the way from `root` to `path` is a real folder (or does not exist yet): a symbolic
    /// link on the way could lead out of the tree.
    package static func hasNoLinkOnTheWay(_ path: String, root: String) -> Bool {
        var current = root
        for part in path.split(separator: "/").dropLast() {
            current += "/" + part
            var info = stat()
            if lstat(current, &info) != 0 { return true }
            if info.st_mode & S_IFMT != S_IFDIR { return false }
        }
        var info = stat()
        if lstat(root + "/" + path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK { return false }
        return true
    }
}
