import CAutomationsSystem
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Cleans up after a runner that was killed with SIGKILL, when it can no longer do it itself.
///
/// Every command of a run carries `AUTOMATIONS_RUN_ID` in its environment, and so do the processes it starts
/// (unless they clear their environment). The watchdog is a small process of its own session that holds the read
/// end of a pipe whose only write end is the runner's: when the runner dies, the pipe reports end-of-file, and the
/// watchdog kills every process that carries the run's id. At a normal end the runner closes the pipe itself after
/// cleaning up, and the watchdog finds nothing to do.
public final class RunWatchdog: Sendable {
    /// The environment variable that marks the processes of a run.
    public static let variable = "AUTOMATIONS_RUN_ID"

    public let runID: String
    private let writeDescriptor: Int32
    private let pid: Int32

    /// Starts `executable ARGUMENTS` as the watchdog (the runner's own binary in its watchdog mode); `nil` when it
    /// cannot be started (the run goes on without it).
    public init?(runID: String, executable: String, arguments: [String]) {
        var descriptors: [Int32] = [-1, -1]
        guard automations_pipe(&descriptors) == 0 else { return nil }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = [strdup("PATH=/usr/bin:/bin"), nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = automations_spawn_helper(&pid, executable, argv, envp, descriptors[0])
        close(descriptors[0])
        guard result == 0 else {
            close(descriptors[1])
            return nil
        }
        self.runID = runID
        self.writeDescriptor = descriptors[1]
        self.pid = pid
    }

    /// Tells the watchdog the run ended normally and waits (briefly) for it to exit.
    public func finish() async {
        close(writeDescriptor)
        for _ in 0..<200 {
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid || (reaped < 0 && errno == ECHILD) { return }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// The watchdog's work: waits for end-of-file on standard input, then kills every process that carries
    /// `AUTOMATIONS_RUN_ID=runID`, until none is left (a few rounds, for processes that fork while being killed).
    /// - Returns: how many processes were killed.
    @discardableResult
    public static func watch(runID: String) -> Int {
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count == 0 || (count < 0 && errno != EINTR) { break }
        }
        return killMarked(runID: runID, sparing: [getpid()])
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
        guard let bytes = FileDescriptorIO.readFile("/proc/\(pid)/environ") else { return false }
        return bytes.split(separator: 0).contains { $0.elementsEqual(marker) }
    }
}
