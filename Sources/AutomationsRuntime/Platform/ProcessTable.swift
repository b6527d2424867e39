import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system's process table: `/proc` on Linux, `ps` with the POSIX backend (which cannot read environments).
package enum ProcessTable {
    /// One process: its state (`Z` for a zombie), parent and group.
    package struct Entry: Sendable, Hashable {
        package var pid: Int32
        package var state: Character
        package var parent: Int32
        package var group: Int32
    }

    /// Every process, or those that could be read (processes come and go while the table is read).
    package static func all() -> [Entry] {
        #if os(Linux)
        if Platform.backend == .linux { return LinuxProcessTable.all() }
        #endif
        return PSProcessTable.all()
    }

    /// The process `pid`, or `nil` when it does not exist.
    package static func entry(_ pid: Int32) -> Entry? {
        #if os(Linux)
        if Platform.backend == .linux { return LinuxProcessTable.entry(pid) }
        #endif
        return PSProcessTable.entry(pid)
    }

    /// This process's children, zombies included.
    package static func childrenOfSelf() -> [Int32] {
        #if os(Linux)
        if Platform.backend == .linux { return LinuxProcessTable.childrenOfSelf() }
        #endif
        let me = getpid()
        return PSProcessTable.all().filter { $0.parent == me }.map(\.pid)
    }

    /// Whether the environments of other processes can be read (``environmentValue(of:_:)``).
    package static var readsEnvironments: Bool { Platform.backend == .linux }

    /// The value of `name` in the environment the process started with; `nil` when unset or unreadable (always
    /// with the POSIX backend).
    package static func environmentValue(of pid: Int32, _ name: String) -> String? {
        guard let entries = environment(of: pid) else { return nil }
        let prefix = Array((name + "=").utf8)
        for entry in entries where entry.starts(with: prefix) {
            return String(decoding: entry.dropFirst(prefix.count), as: UTF8.self)
        }
        return nil
    }

    /// The `NAME=VALUE` entries of the environment the process started with; `nil` when unreadable.
    package static func environment(of pid: Int32) -> [ArraySlice<UInt8>]? {
        #if os(Linux)
        if Platform.backend == .linux { return LinuxProcessTable.environment(of: pid) }
        #endif
        return nil
    }

    /// True when `pid` no longer exists at all (not even as a zombie).
    package static func processIsGone(_ pid: Int32) -> Bool {
        kill(pid, 0) == -1 && errno == ESRCH
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
