import AutomationsRuntime
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why `serve` will not use a state folder.
public enum StateFolderError: Error, CustomStringConvertible {
    /// Another user owns it: what it holds could be theirs.
    case ownedByAnotherUser(path: String, owner: UInt32)
    /// Others than its owner may write into it (mode shown in octal): files could have been planted.
    case writableByOthers(path: String, mode: UInt32)
    case notAFolder(path: String)
    case cannotCreate(path: String, reason: String)

    public var description: String {
        switch self {
        case .ownedByAnotherUser(let path, let owner):
            "the state folder '\(path)' belongs to another user (uid \(owner)); give your own with --state-dir"
        case .writableByOthers(let path, let mode):
            "the state folder '\(path)' can be written by others (mode \(String(mode & 0o777, radix: 8))): "
                + "remove what you did not put there and run chmod 700 on it, or give another --state-dir"
        case .notAFolder(let path):
            "the state folder '\(path)' is not a folder"
        case .cannotCreate(let path, let reason):
            "cannot create the state folder '\(path)': \(reason)"
        }
    }
}

/// The state folder of `serve` holds commands, environment values, logs and the endpoint file with the token: only
/// its owner may read it. It is made with mode 0700 (its files 0600), one that exists is tightened to that, and one
/// that another user owns or others can write is refused.
public enum PrivateStateFolder {
    /// Mode of the folders inside.
    public static let folderMode = 0o700
    /// Mode of the files inside.
    public static let fileMode = 0o600

    public static func prepare(_ path: String) throws(StateFolderError) {
        var info = stat()
        if stat(path, &info) != 0 {
            do {
                try AtomicFile.createFolder(containing: path)
            } catch {
                throw .cannotCreate(path: path, reason: error.description)
            }
            guard mkdir(path, mode_t(folderMode)) == 0 || errno == EEXIST else {
                throw .cannotCreate(path: path, reason: String(cString: strerror(errno)))
            }
            guard stat(path, &info) == 0 else {
                throw .cannotCreate(path: path, reason: String(cString: strerror(errno)))
            }
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw .notAFolder(path: path) }
        guard info.st_uid == geteuid() else { throw .ownedByAnotherUser(path: path, owner: info.st_uid) }
        guard info.st_mode & 0o022 == 0 else { throw .writableByOthers(path: path, mode: UInt32(info.st_mode)) }
        tighten(path)
    }

    /// Folders 0700, files 0600, below and at `path`; links are left alone (never followed).
    private static func tighten(_ path: String) {
        chmod(path, mode_t(folderMode))
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        for name in names {
            let child = path + "/" + name
            var info = stat()
            guard lstat(child, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: tighten(child)
            case S_IFREG: chmod(child, mode_t(fileMode))
            default: continue
            }
        }
    }
}
