import CAutomationsSystem
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process table as POSIX `ps` tells it (`-A -o pid= -o ppid= -o pgid= -o stat=`), for systems without
/// `/proc`: one `ps` run per reading, so it is read only where a run ends or stops. It has no environments.
enum PSProcessTable {
    static func all() -> [ProcessTable.Entry] {
        parse(run(["-A"]))
    }

    static func entry(_ pid: Int32) -> ProcessTable.Entry? {
        parse(run(["-p", String(pid)])).first { $0.pid == pid }
    }

    /// Lines of "pid ppid pgid stat".
    static func parse(_ output: String) -> [ProcessTable.Entry] {
        output.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 4, let pid = Int32(fields[0]), let parent = Int32(fields[1]),
                let group = Int32(fields[2]), let state = fields[3].first
            else { return nil }
            return ProcessTable.Entry(pid: pid, state: state, parent: parent, group: group)
        }
    }

    private static let program: String? = ["/bin/ps", "/usr/bin/ps"].first { access($0, X_OK) == 0 }

    /// Runs `ps SELECTION -o …` and returns what it printed (empty when it cannot be run).
    private static func run(_ selection: [String]) -> String {
        guard let program else { return "" }
        let arguments = [program] + selection + ["-o", "pid=", "-o", "ppid=", "-o", "pgid=", "-o", "stat="]
        var pipe: [Int32] = [-1, -1]
        guard automations_pipe(&pipe) == 0 else { return "" }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = [strdup("PATH=/usr/bin:/bin"), strdup("LC_ALL=C"), nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: Int32 = 0
        let error = automations_posix_spawn(&pid, program, argv, envp, nil, -1, pipe[1], -1)
        close(pipe[1])
        defer { close(pipe[0]) }
        guard error == 0 else { return "" }
        let bytes = FileDescriptorIO.readAll(pipe[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return String(decoding: bytes, as: UTF8.self)
    }
}
