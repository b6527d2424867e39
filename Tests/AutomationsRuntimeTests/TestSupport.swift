import AutomationsRuntime
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Collects a command's output, per stream and in arrival order.
final class CollectingSink: CommandOutputSink {
    private let state = Mutex<(stdout: [UInt8], stderr: [UInt8], all: [UInt8])>(([], [], []))

    func receive(_ bytes: UnsafeRawBufferPointer, from stream: OutputStreamKind) {
        state.withLock { state in
            if stream == .stdout {
                state.stdout.append(contentsOf: bytes)
            } else {
                state.stderr.append(contentsOf: bytes)
            }
            state.all.append(contentsOf: bytes)
        }
    }

    var stdout: [UInt8] { state.withLock { $0.stdout } }
    var stderr: [UInt8] { state.withLock { $0.stderr } }
    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// Counts output bytes without keeping them.
final class CountingSink: CommandOutputSink {
    private let count = Atomic<Int>(0)
    func receive(_ bytes: UnsafeRawBufferPointer, from stream: OutputStreamKind) {
        count.add(bytes.count, ordering: .relaxed)
    }
    var total: Int { count.load(ordering: .relaxed) }
}

enum TestEnvironment {
    /// Every process a test starts carries this variable, so that CI can check that none is left afterwards.
    static let marker = ["AUTOMATIONS_TEST_PROCESS": "1"]

    static let base: [String: String] = [
        "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
        "HOME": NSTemporaryDirectory(),
        "LANG": "C.UTF-8",
    ].merging(marker) { $1 }

    static let subreaper: Bool = ProcessRuntime.becomeSubreaper()

    /// A fresh directory for one test.
    static func directory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    static func spec(
        _ command: String,
        in directory: String = "/tmp",
        environment: [String: String] = [:]
    ) -> CommandSpec {
        _ = subreaper
        return CommandSpec(command: command, workingDirectory: directory, environment: base.merging(environment) { $1 })
    }

    /// True when no process of `group` exists any more (zombies count as existing).
    static func groupIsGone(_ group: Int32) -> Bool {
        kill(-group, 0) == -1 && errno == ESRCH
    }

    /// True when `pid` no longer exists at all (not even as a zombie).
    static func processIsGone(_ pid: Int32) -> Bool {
        !FileManager.default.fileExists(atPath: "/proc/\(pid)")
    }

    /// Waits (bounded) until `condition` holds, polling the way a person would check.
    static func eventually(within limit: Duration = .seconds(5), _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }
}
