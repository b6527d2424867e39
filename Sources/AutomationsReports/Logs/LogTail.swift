import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads bounded parts of log files: the whole file when small, or its head and tail with a note of what was cut.
package enum LogTail {
    /// At most `limit` bytes of the file: all of it, or its first and last lines (up to half the limit each) with a
    /// line saying how many bytes were left out in between. The cut falls between lines; only a line longer than
    /// half the limit is cut inside.
    package static func read(path: String, limit: Int) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return [] }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return [] }
        let size = Int(info.st_size)
        if size <= limit { return readRange(descriptor, offset: 0, count: size) }
        let half = limit / 2
        var head = readRange(descriptor, offset: 0, count: half)
        if let lastNewline = head.lastIndex(of: 0x0A) { head.removeSubrange((lastNewline + 1)...) }
        var tail = readRange(descriptor, offset: size - half, count: half)
        let startsALine = size - half == 0 || readRange(descriptor, offset: size - half - 1, count: 1) == [0x0A]
        if !startsALine, let firstNewline = tail.firstIndex(of: 0x0A), firstNewline + 1 < tail.count {
            tail.removeSubrange(...firstNewline)
        }
        let note = "[… \(size - head.count - tail.count) bytes cut; the full log has everything …]\n"
        return head + Array(((head.last == 0x0A ? "" : "\n") + note).utf8) + tail
    }

    /// The last `lines` lines of the file (read from at most its last 64 KiB), as text.
    package static func lastLines(path: String, lines: Int) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return "" }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return "" }
        let size = Int(info.st_size)
        let count = min(size, 64 * 1024)
        let bytes = readRange(descriptor, offset: size - count, count: count)
        let text = String(decoding: bytes, as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines + 1)
            .joined(separator: "\n").trimmingCharacters(in: .newlines)
    }

    static func readRange(_ descriptor: Int32, offset: Int, count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress! + done, count - done, off_t(offset + done))
            }
            if got < 0 && errno == EINTR { continue }
            if got <= 0 { break }
            done += got
        }
        return Array(bytes[0..<done])
    }
}
