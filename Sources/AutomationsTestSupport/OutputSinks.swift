package import AutomationsRuntime
import Synchronization

/// Collects a command's output, per stream and in arrival order.
package final class CollectingSink: CommandOutputSink {
    package init() {}

    private let state = Mutex<(stdout: [UInt8], stderr: [UInt8], all: [UInt8])>(([], [], []))

    package func receive(_ bytes: UnsafeRawBufferPointer, from stream: OutputStreamKind) {
        state.withLock { state in
            if stream == .stdout {
                state.stdout.append(contentsOf: bytes)
            } else {
                state.stderr.append(contentsOf: bytes)
            }
            state.all.append(contentsOf: bytes)
        }
    }

    package var stdout: [UInt8] { state.withLock { $0.stdout } }
    package var stderr: [UInt8] { state.withLock { $0.stderr } }
    package var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    package var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// Counts output bytes without keeping them.
package final class CountingSink: CommandOutputSink {
    package init() {}

    private let count = Atomic<Int>(0)
    package func receive(_ bytes: UnsafeRawBufferPointer, from stream: OutputStreamKind) {
        count.add(bytes.count, ordering: .relaxed)
    }
    package var total: Int { count.load(ordering: .relaxed) }
}
