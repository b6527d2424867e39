#if os(Linux)
import Foundation
import Glibc

/// The process table as Linux's `/proc` tells it.
enum LinuxProcessTable {
    static func all() -> [ProcessTable.Entry] {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var entries: [ProcessTable.Entry] = []
        while let item = readdir(directory) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let pid = Int32(name), let entry = entry(pid) else { continue }
            entries.append(entry)
        }
        return entries
    }

    /// From `/proc/PID/stat`: "pid (comm) state ppid pgrp …", where comm may hold spaces and parentheses.
    static func entry(_ pid: Int32) -> ProcessTable.Entry? {
        guard let bytes = FileDescriptorIO.readFile("/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let closing = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: closing)...].split(separator: " ")
        guard fields.count >= 3, let state = fields[0].first, let parent = Int32(fields[1]),
            let group = Int32(fields[2])
        else { return nil }
        return ProcessTable.Entry(pid: pid, state: state, parent: parent, group: group)
    }

    /// From `/proc/self/task/*/children` (every thread's children).
    static func childrenOfSelf() -> [Int32] {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task") else { return [] }
        var children: [Int32] = []
        for task in tasks {
            guard let bytes = FileDescriptorIO.readFile("/proc/self/task/\(task)/children") else { continue }
            let text = String(decoding: bytes, as: UTF8.self)
            children.append(contentsOf: text.split(separator: " ").compactMap { Int32($0) })
        }
        return children
    }

    /// From `/proc/PID/environ`.
    static func environment(of pid: Int32) -> [ArraySlice<UInt8>]? {
        guard let bytes = FileDescriptorIO.readFile("/proc/\(pid)/environ") else { return nil }
        return bytes.split(separator: 0)
    }

    /// The running executable, from `/proc/self/exe`.
    static var ownExecutable: String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    }
}
#endif
