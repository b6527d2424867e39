package import AutomationsRuntime
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What every test process needs: the marker CI looks for, a small environment, a fresh directory, and bounded
/// waits on conditions that another process makes true.
package enum TestEnvironment {
    /// Every process a test starts carries this variable, so that CI can check that none is left afterwards.
    package static let marker = ["AUTOMATIONS_TEST_PROCESS": "1"]

    package static let base: [String: String] = [
        "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
        "HOME": NSTemporaryDirectory(),
        "LANG": "C.UTF-8",
    ].merging(marker) { $1 }

    /// The process backend the tests were started with (`AUTOMATIONS_BACKEND`), for the binaries they start: CI runs
    /// the suites once more with `AUTOMATIONS_BACKEND=posix`.
    package static let backendChoice: [String: String] = ProcessInfo.processInfo.environment.filter {
        $0.key == Platform.backendVariable
    }

    /// Whether the tests run on the POSIX backend, which has no subreaper and cannot read other processes'
    /// environments: what needs those is left out there, and says so.
    package static var onPOSIXBackend: Bool { Platform.backend == .posix }

    package static let subreaper: Bool = ProcessRuntime.becomeSubreaper()

    /// A fresh directory for one test.
    package static func directory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    package static func spec(
        _ command: String,
        in directory: String = "/tmp",
        environment: [String: String] = [:]
    ) -> CommandSpec {
        _ = subreaper
        return CommandSpec(command: command, workingDirectory: directory, environment: base.merging(environment) { $1 })
    }

    /// True when no process of `group` exists any more (zombies count as existing).
    package static func groupIsGone(_ group: Int32) -> Bool {
        kill(-group, 0) == -1 && errno == ESRCH
    }

    /// True when `pid` no longer exists at all (not even as a zombie).
    package static func processIsGone(_ pid: Int32) -> Bool {
        ProcessTable.processIsGone(pid)
    }

    /// Waits (bounded) until `condition` holds, polling the way a person would check. The bound is generous: a loaded
    /// 2-core CI machine runs every suite at once. Polls every 25 ms: some conditions scan `/proc`, and a tight
    /// loop of those would take a cooperative thread from the tests that run in this process.
    ///
    /// The bound counts polls, not wall time: a CI machine that stalls (CI once froze this process for about 13 s)
    /// stalls the processes being waited for too, and a wall-clock deadline passed during the stall would end the
    /// wait before they had their time.
    package static func eventually(within limit: Duration = .seconds(20), _ condition: () -> Bool) async -> Bool {
        for _ in 0..<polls(within: limit) {
            if condition() { return true }
            try? await Task.sleep(for: pollInterval)
        }
        return condition()
    }

    /// Waits (bounded) until the asynchronous `condition` holds.
    package static func eventually(
        within limit: Duration = .seconds(20),
        _ condition: () async -> Bool
    ) async -> Bool {
        for _ in 0..<polls(within: limit) {
            if await condition() { return true }
            try? await Task.sleep(for: pollInterval)
        }
        return await condition()
    }

    private static let pollInterval = Duration.milliseconds(25)

    /// How many polls, `pollInterval` apart, make at least `limit`.
    package static func polls(within limit: Duration) -> Int {
        max(1, Int((limit / pollInterval).rounded(.up)))
    }
}

/// What a test wrote to a file descriptor, read back: console output, without a terminal.
package final class CapturedOutput: Sendable {
    package let path: String
    package let descriptor: Int32

    package init() throws {
        path = try TestEnvironment.directory() + "/captured"
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    }

    deinit { close(descriptor) }

    /// Everything written so far.
    package var text: String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}
