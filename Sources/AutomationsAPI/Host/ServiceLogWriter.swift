import AutomationsModel
import AutomationsRuntime
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Appends the output of the server's services and executions to `DIRECTORY/services/ID.log` and
/// `DIRECTORY/executions/ID.log`.
final class ServerLogWriter: Sendable {
    let directory: String
    private let files = Mutex<[String: Int32]>([:])

    init(directory: String) {
        self.directory = directory
        for folder in ["", "services", "executions"] {
            // Private, as the state folder they are in: commands' output can hold anything.
            try? FileManager.default.createDirectory(
                atPath: "\(directory)/\(folder)",
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: PrivateStateFolder.folderMode]
            )
        }
    }

    func path(service id: String) -> String { "\(directory)/services/\(id).log" }
    func path(execution id: String) -> String { "\(directory)/executions/\(id).log" }

    func append(_ bytes: UnsafeRawBufferPointer, to path: String) {
        let descriptor = files.withLock { files -> Int32 in
            if let open = files[path] { return open }
            let opened = open(
                path,
                O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW,
                mode_t(PrivateStateFolder.fileMode)
            )
            files[path] = opened
            return opened
        }
        guard descriptor >= 0 else { return }
        FileDescriptorIO.writeAll(descriptor, bytes)
    }
}

/// Sends a service's output (its probes' excepted) to its log.
struct ServiceLogObserver: RuntimeObserver {
    let writer: ServerLogWriter
    let path: String

    func record(_ event: RuntimeEvent) {}

    func output(from source: OutputSource, stream: OutputStreamKind, bytes: UnsafeRawBufferPointer) {
        guard source.part != .ready else { return }
        writer.append(bytes, to: path)
    }
}

/// Follows a task execution: its steps' reports as they change, and its output into the execution's log.
final class ExecutionTracker: RuntimeObserver {
    let writer: ServerLogWriter
    let path: String
    private let steps = Mutex<[String: StepReport]>([:])

    init(writer: ServerLogWriter, path: String) {
        self.writer = writer
        self.path = path
    }

    func record(_ event: RuntimeEvent) {
        switch event {
        case .stepStarted(let step, let at):
            steps.withLock { steps in
                var report = steps[step.reference] ?? StepReport(step: step)
                report.phase = .running
                report.startedAt = at
                steps[step.reference] = report
            }
        case .stepFinished(let report):
            steps.withLock { $0[report.step.reference] = report }
        default:
            break
        }
    }

    func output(from source: OutputSource, stream: OutputStreamKind, bytes: UnsafeRawBufferPointer) {
        guard source.part == .main, source.kind == .task else { return }
        writer.append(bytes, to: path)
    }

    /// The step reports seen so far, by reference.
    var reports: [String: StepReport] { steps.withLock { $0 } }
}
