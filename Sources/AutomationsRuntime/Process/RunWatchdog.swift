import CAutomationsSystem
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cleans up after a runner that was killed with SIGKILL, when it can no longer do it itself.
///
/// Every command of a run carries `AUTOMATIONS_RUN_ID` in its environment, and so do the processes it starts
/// (unless they clear their environment). The watchdog is a small process of its own session that holds the read
/// end of a pipe whose only write end is the runner's: when the runner dies, the pipe reports end-of-file, and the
/// watchdog kills every process that carries the run's id. At a normal end the runner closes the pipe itself after
/// cleaning up, and the watchdog finds nothing to do.
///
/// Where other processes' environments cannot be read (the POSIX backend), the runner lists its commands' process
/// groups in a file (``GroupRecord``) and the watchdog kills the groups still listed: processes that left their
/// group (`setsid`) are not found that way.
public final class RunWatchdog: Sendable {
    /// The environment variable that marks the processes of a run.
    public static let variable = "AUTOMATIONS_RUN_ID"

    public let runID: String
    private let writeDescriptor: Int32
    private let pid: Int32
    /// The file listing the run's process groups, where environments cannot be read.
    private let groupsFile: String?

    /// Starts `executable ARGUMENTS` as the watchdog (the runner's own binary in its watchdog mode); `nil` when it
    /// cannot be started (the run goes on without it).
    public init?(runID: String, executable: String, arguments: [String]) {
        var descriptors: [Int32] = [-1, -1]
        guard automations_pipe(&descriptors) == 0 else { return nil }
        let groupsFile = ProcessTable.readsEnvironments ? nil : GroupRecord.start()
        let argv = ([executable] + arguments + (groupsFile.map { ["--groups", $0] } ?? [])).map { strdup($0) } + [nil]
        // The watchdog uses the runner's process backend.
        let envp: [UnsafeMutablePointer<CChar>?] = [
            strdup("PATH=/usr/bin:/bin"), strdup("\(Platform.backendVariable)=\(Platform.backend.rawValue)"), nil,
        ]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = Platform.spawn(&pid, executable, argv, envp, nil, descriptors[0], -1, -1)
        close(descriptors[0])
        guard result == 0 else {
            close(descriptors[1])
            if let groupsFile {
                GroupRecord.stop()
                unlink(groupsFile)
            }
            return nil
        }
        self.groupsFile = groupsFile
        self.runID = runID
        self.writeDescriptor = descriptors[1]
        self.pid = pid
    }

    /// Tells the watchdog the run ended normally and waits (briefly) for it to exit.
    public func finish() async {
        if groupsFile != nil { GroupRecord.stop() }
        close(writeDescriptor)
        defer { if let groupsFile { unlink(groupsFile) } }
        for _ in 0..<200 {
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid || (reaped < 0 && errno == ECHILD) { return }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// The watchdog's work: waits for end-of-file on standard input, then kills every process that carries
    /// `AUTOMATIONS_RUN_ID=runID`, until none is left (a few rounds, for processes that fork while being killed),
    /// and every process group that `groupsFile` lists as still running.
    /// - Returns: how many processes (or groups) were killed.
    @discardableResult
    public static func watch(runID: String, groupsFile: String? = nil) -> Int {
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count == 0 || (count < 0 && errno != EINTR) { break }
        }
        var killed = killMarked(runID: runID, sparing: [getpid()])
        if let groupsFile {
            for group in GroupRecord.liveGroups(in: groupsFile) where kill(-group, SIGKILL) == 0 { killed += 1 }
            unlink(groupsFile)
        }
        return killed
    }

    /// Kills every process whose environment holds `AUTOMATIONS_RUN_ID=runID`, except `sparing`.
    @discardableResult
    public static func killMarked(runID: String, sparing: Set<Int32>) -> Int {
        let marker = Array("\(variable)=\(runID)".utf8)
        var killed: Set<Int32> = []
        for _ in 0..<20 {
            let found = ProcessTable.all().map(\.pid).filter {
                !sparing.contains($0) && environment(of: $0, contains: marker)
            }
            let alive = found.filter { ProcessTable.entry($0)?.state != "Z" }
            if alive.isEmpty { break }
            for pid in alive where kill(pid, SIGKILL) == 0 { killed.insert(pid) }
            usleep(10_000)
        }
        return killed.count
    }

    /// Whether one NUL-separated entry of the process's initial environment is exactly `marker`.
    private static func environment(of pid: Int32, contains marker: [UInt8]) -> Bool {
        ProcessTable.environment(of: pid)?.contains { $0.elementsEqual(marker) } ?? false
    }
}
