import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the bytes of an automations file from a path or from standard input, refusing what is not a file.
enum SourceReader {
    /// Larger files are refused before they are read: no real automations file comes near it.
    static let maximumSize = 32 * 1024 * 1024

    /// The bytes at `path`, or of standard input for `-`.
    /// - Throws: ``ConfigError`` naming the path and saying what is wrong.
    static func read(path: String, displayPath: String) throws(ConfigError) -> [UInt8] {
        if path.isEmpty {
            throw ConfigError(file: nil, "the file path is empty; pass --file PATH, or --file - for standard input")
        }
        if path == "-" {
            return try readAll(descriptor: STDIN_FILENO, displayPath: displayPath)
        }
        var info = stat()
        guard stat(path, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            throw ConfigError(file: nil, "cannot read the automations file '\(displayPath)': \(reason)")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR:
            throw ConfigError(
                file: nil,
                "'\(displayPath)' is a directory, not an automations file; name the file itself "
                    + "(for example \(displayPath)/.gitpod/automations.yaml)"
            )
        default:
            throw ConfigError(
                file: nil,
                "'\(displayPath)' is not a regular file (a FIFO, socket or device); pass a regular file, "
                    + "or --file - to read standard input"
            )
        }
        guard Int(info.st_size) <= maximumSize else {
            throw ConfigError(
                file: displayPath,
                "the file is \(info.st_size) bytes, more than the limit of \(maximumSize) bytes"
            )
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw ConfigError(file: nil, "cannot read the automations file '\(displayPath)': \(reason)")
        }
        defer { close(descriptor) }
        return try readAll(descriptor: descriptor, displayPath: displayPath)
    }

    private static func readAll(descriptor: Int32, displayPath: String) throws(ConfigError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                throw ConfigError(file: nil, "cannot read the automations file '\(displayPath)': \(reason)")
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > maximumSize {
                throw ConfigError(file: displayPath, "the input is larger than the limit of \(maximumSize) bytes")
            }
        }
    }
}

/// The C library's `read(2)`, which a member named `read` hides inside the type.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
