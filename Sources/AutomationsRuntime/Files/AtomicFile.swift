import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file could not be written: the error number of the call that failed.
package struct FileWriteError: Error, CustomStringConvertible, Equatable {
    package var errorNumber: Int32

    /// What the system says of it (`No space left on device`).
    package var description: String { String(cString: strerror(errorNumber)) }
}

/// Writes files so that a reader sees the old content or the new, never a part: a temporary file in the same
/// folder, flushed, then renamed over the target. A symlink planted at the target is replaced, not followed.
package enum AtomicFile {
    /// Creates the folder that will hold `path` and the folders above it, as pytest's `--junitxml` does.
    package static func createFolder(containing path: String) throws(FileWriteError) {
        try createFolder((path as NSString).deletingLastPathComponent)
    }

    private static func createFolder(_ folder: String) throws(FileWriteError) {
        guard !folder.isEmpty, folder != "/" else { return }
        var info = stat()
        if stat(folder, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw FileWriteError(errorNumber: ENOTDIR) }
            return
        }
        try createFolder((folder as NSString).deletingLastPathComponent)
        guard mkdir(folder, 0o777) == 0 || errno == EEXIST else { throw FileWriteError(errorNumber: errno) }
    }

    package static func write(_ text: String, to path: String, mode: Int = 0o644) throws(FileWriteError) {
        try write(Array(text.utf8), to: path, mode: mode)
    }

    /// Writes `bytes` to `path` with `mode` (less the umask; 0600 for private files).
    package static func write(_ bytes: [UInt8], to path: String, mode: Int = 0o644) throws(FileWriteError) {
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode_t(mode))
        guard descriptor >= 0 else { throw FileWriteError(errorNumber: errno) }
        if let failure = bytes.withUnsafeBytes({ FileDescriptorIO.writeAll(descriptor, $0) }) {
            close(descriptor)
            unlink(temporary)
            throw FileWriteError(errorNumber: failure)
        }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard synced, rename(temporary, path) == 0 else {
            let number = errno
            unlink(temporary)
            throw FileWriteError(errorNumber: number)
        }
    }
}
