import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Reads the kernel's process table from `/proc`.
package enum ProcessTable {
    /// One process as `/proc/PID/stat` describes it.
    package struct Entry: Sendable, Hashable {
        package var pid: Int32
        package var state: Character
        package var parent: Int32
        package var group: Int32
        package var session: Int32
    }

    /// Every process, or those that could be read (processes come and go while the table is read).
    package static func all() -> [Entry] {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var entries: [Entry] = []
        while let item = readdir(directory) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let pid = Int32(name), let entry = entry(pid) else { continue }
            entries.append(entry)
        }
        return entries
    }

    /// The process `pid`, or `nil` when it does not exist.
    package static func entry(_ pid: Int32) -> Entry? {
        guard let bytes = FileDescriptorIO.readFile("/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        // "pid (comm) state ppid pgrp session …"; comm may hold spaces and parentheses.
        guard let closing = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: closing)...].split(separator: " ")
        guard fields.count >= 4, let state = fields[0].first, let parent = Int32(fields[1]),
            let group = Int32(fields[2]), let session = Int32(fields[3])
        else { return nil }
        return Entry(pid: pid, state: state, parent: parent, group: group, session: session)
    }

    /// This process's children, zombies included (from `/proc/self/task/*/children`).
    package static func childrenOfSelf() -> [Int32] {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task") else { return [] }
        var children: [Int32] = []
        for task in tasks {
            guard let bytes = FileDescriptorIO.readFile("/proc/self/task/\(task)/children") else { continue }
            let text = String(decoding: bytes, as: UTF8.self)
            children.append(contentsOf: text.split(separator: " ").compactMap { Int32($0) })
        }
        return children
    }

    /// The value of `name` in the environment the process started with; `nil` when unset or unreadable.
    package static func environmentValue(of pid: Int32, _ name: String) -> String? {
        guard let bytes = FileDescriptorIO.readFile("/proc/\(pid)/environ") else { return nil }
        let prefix = Array((name + "=").utf8)
        for entry in bytes.split(separator: 0) where entry.starts(with: prefix) {
            return String(decoding: entry.dropFirst(prefix.count), as: UTF8.self)
        }
        return nil
    }

    /// Every descendant of `roots` (the roots included), from one reading of the table.
    package static func descendants(of roots: [Int32], in table: [Entry]) -> [Entry] {
        var byParent: [Int32: [Entry]] = [:]
        var byPID: [Int32: Entry] = [:]
        for entry in table {
            byParent[entry.parent, default: []].append(entry)
            byPID[entry.pid] = entry
        }
        var result: [Entry] = []
        var seen: Set<Int32> = []
        var stack = roots
        while let pid = stack.popLast() {
            guard seen.insert(pid).inserted else { continue }
            if let entry = byPID[pid] { result.append(entry) }
            stack.append(contentsOf: (byParent[pid] ?? []).map(\.pid))
        }
        return result
    }
}
