import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that lists the process groups of running commands, for the watchdog where it cannot find a run's
/// processes by their environment (the POSIX backend): a line `+GROUP` when a command starts and `-GROUP` when its
/// group is empty. Appends of a few bytes with O_APPEND are whole; a file write never raises SIGPIPE, as a pipe to a
/// dead watchdog would.
enum GroupRecord {
    /// The open record of this process, or -1.
    private static let descriptor = Atomic<Int32>(-1)

    /// Creates the record file in the temporary folder (mode 0600) and starts writing to it. Returns its path.
    static func start() -> String? {
        let folder = NSTemporaryDirectory().hasSuffix("/") ? NSTemporaryDirectory() : NSTemporaryDirectory() + "/"
        var template = Array((folder + "automations-groups-XXXXXX").utf8CString)
        let opened = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard opened >= 0 else { return nil }
        close(opened)
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let appending = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard appending >= 0 else { return nil }
        let previous = descriptor.exchange(appending, ordering: .acquiringAndReleasing)
        if previous >= 0 { close(previous) }
        return path
    }

    /// Stops writing (the run ended in order).
    static func stop() {
        let previous = descriptor.exchange(-1, ordering: .acquiringAndReleasing)
        if previous >= 0 { close(previous) }
    }

    static func started(_ group: Int32) { append("+", group) }
    static func ended(_ group: Int32) { append("-", group) }

    /// Called for every command: without a record (the Linux backend), one atomic load and nothing else.
    private static func append(_ sign: String, _ group: Int32) {
        let target = descriptor.load(ordering: .acquiring)
        guard target >= 0 else { return }
        Array("\(sign)\(group)\n".utf8).withUnsafeBytes { _ = FileDescriptorIO.writeAll(target, $0) }
    }

    /// The groups a record lists as started and not ended.
    static func liveGroups(in path: String) -> [Int32] {
        guard let bytes = FileDescriptorIO.readFile(path, limit: 64 << 20) else { return [] }
        var live: Set<Int32> = []
        for line in bytes.split(separator: UInt8(ascii: "\n")) {
            guard let sign = line.first, let group = Int32(String(decoding: line.dropFirst(), as: UTF8.self)),
                group > 1
            else { continue }
            if sign == UInt8(ascii: "+") { live.insert(group) } else { live.remove(group) }
        }
        return live.sorted()
    }
}
