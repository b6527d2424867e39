#if canImport(Glibc)
package import Glibc
#elseif canImport(Darwin)
package import Darwin
#endif

/// What `lstat` says of a file, as the stat cache compares it: a file whose size, modification time, inode and
/// change time are unchanged is taken as unchanged (git's own rule for its index).
package struct FileStatus: Sendable, Hashable {
    package var size: Int
    package var modified: Int64
    package var changed: Int64
    package var inode: UInt64
    package var isSymbolicLink: Bool
    package var isRegularFile: Bool
    package var isExecutable: Bool

    package init?(path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        size = Int(info.st_size)
        #if canImport(Darwin)
        modified = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
        changed = Int64(info.st_ctimespec.tv_sec) * 1_000_000_000 + Int64(info.st_ctimespec.tv_nsec)
        #else
        modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        changed = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
        #endif
        inode = UInt64(info.st_ino)
        isSymbolicLink = info.st_mode & S_IFMT == S_IFLNK
        isRegularFile = info.st_mode & S_IFMT == S_IFREG
        isExecutable = info.st_mode & 0o100 != 0
    }

    /// Seconds since 1970, for ordering by use.
    package static func modificationTime(_ info: stat) -> Double {
        #if canImport(Darwin)
        Double(info.st_mtimespec.tv_sec) + Double(info.st_mtimespec.tv_nsec) / 1e9
        #else
        Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        #endif
    }
}
