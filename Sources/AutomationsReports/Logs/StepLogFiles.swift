package import AutomationsModel
package import AutomationsRuntime
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the log directory cannot be used.
package enum LogDirectoryError: Error, Sendable, CustomStringConvertible, Equatable {
    case notADirectory(path: String)
    /// Its folders could not be made or emptied of an earlier run's logs.
    case cannotPrepare(path: String, reason: String)
    case notWritable(path: String, reason: String)

    package var description: String {
        switch self {
        case .notADirectory(let path): "the log directory '\(path)' is a file, not a directory"
        case .cannotPrepare(let path, let reason): "cannot prepare the log directory '\(path)': \(reason)"
        case .notWritable(let path, let reason): "cannot write to the log directory '\(path)': \(reason)"
        }
    }
}

/// Writes each step's output, byte-exact and in arrival order, to `DIR/tasks/REF.log` and `DIR/services/REF.log`
/// (a service's log also holds its stop command's output); the output of a service's last ready probe goes to
/// `DIR/services/REF.ready.log`. Buffers are written as they arrive, with no copy.
package final class StepLogFiles: RuntimeObserver {
    /// The log directory, absolute.
    package let directory: String
    /// How paths are shown in reports: relative to the directory the runner was started in, when inside it.
    private let displayBase: String
    private let files = Mutex<[String: Int32]>([:])
    /// The log files this run's plan may write; any other file in the folders is removed at the start.
    private let expected: Set<String>
    /// Logs of this plan's steps that a previous run left and that were emptied at the start: a step that starts
    /// finds its file ready.
    private let existingEmpty: Mutex<Set<String>>

    /// Prepares `directory` for a run of `plan`: creates it, and removes every file a previous run left there (ready
    /// logs included) except the logs of this plan's steps, which are emptied now and reused (much cheaper than
    /// creating files on ext4 after many deletions), or removed at the end if their step does not run.
    /// - Throws: ``LogDirectoryError`` when it cannot be created or written, before anything runs.
    package init(
        directory: String,
        displayRelativeTo workingDirectory: String,
        plan: ExecutionPlan
    ) throws(LogDirectoryError) {
        self.directory = directory
        self.displayBase = workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/"
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: directory, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw LogDirectoryError.notADirectory(path: directory)
        }
        var expected: Set<String> = []
        var emptied: Set<String> = []
        for step in plan.steps {
            let source = OutputSource(kind: step.kind, reference: step.reference)
            expected.insert(Self.path(for: source, in: directory))
        }
        self.expected = expected
        for folder in ["tasks", "services"] {
            let path = directory + "/" + folder
            do {
                // A planted symlink (or file) in place of the folder is removed, never followed: the cleanup below
                // must only ever delete files of this log directory.
                var folderInfo = stat()
                if lstat(path, &folderInfo) == 0, (folderInfo.st_mode & S_IFMT) != S_IFDIR {
                    try manager.removeItem(atPath: path)
                }
                try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
                for name in try manager.contentsOfDirectory(atPath: path) {
                    let file = path + "/" + name
                    var info = stat()
                    let isRegularFile = lstat(file, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
                    if !isRegularFile || !expected.contains(file) {
                        try manager.removeItem(atPath: file)
                    } else {
                        // Kept for a step of this plan: emptied now, so that starting the step costs nothing.
                        if info.st_size > 0 { truncate(file, 0) }
                        emptied.insert(file)
                    }
                }
            } catch {
                throw LogDirectoryError.cannotPrepare(path: path, reason: Self.reason(error))
            }
        }
        self.existingEmpty = Mutex(emptied)
        let probe = directory + "/tasks/.write-test"
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0, systemWrite(descriptor, "x", 1) == 1 else {
            let reason = String(cString: strerror(errno))
            if descriptor >= 0 { systemClose(descriptor) }
            throw LogDirectoryError.notWritable(path: directory, reason: reason)
        }
        systemClose(descriptor)
        unlink(probe)
    }

    private static func reason(_ error: any Error) -> String {
        if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return error.localizedDescription
    }

    /// The log file of a step or a service's part, absolute.
    /// While a probe runs, its output goes to a partial file next to the ready log.
    package func path(for source: OutputSource) -> String {
        Self.path(for: source, in: directory)
    }

    private static func path(for source: OutputSource, in directory: String) -> String {
        let folder = source.kind == .task ? "tasks" : "services"
        let suffix = source.part == .ready ? ".ready.log.partial" : ".log"
        return "\(directory)/\(folder)/\(source.reference)\(suffix)"
    }

    /// The output of the service's last finished ready probe.
    package func readyLogPath(_ reference: String) -> String {
        "\(directory)/services/\(reference).ready.log"
    }

    /// The log path as reports show it: relative to the working directory when inside it.
    package func displayPath(for source: OutputSource) -> String {
        let path = path(for: source)
        return path.hasPrefix(displayBase) ? String(path.dropFirst(displayBase.count)) : path
    }

    /// The file a source's output goes to (stop output shares the service log).
    private func fileKey(_ source: OutputSource) -> OutputSource {
        source.part == .stop || source.part == .restored
            ? OutputSource(kind: source.kind, reference: source.reference) : source
    }

    private func descriptor(for source: OutputSource, truncate: Bool) -> Int32 {
        let key = fileKey(source)
        return files.withLock { files in
            let name = path(for: key)
            if let open = files[name], open >= 0, !truncate { return open }
            if let open = files[name], open >= 0 { systemClose(open) }
            let flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (truncate ? O_TRUNC : O_APPEND)
            let descriptor = open(name, flags, 0o644)
            files[name] = descriptor
            return descriptor
        }
    }

    package func record(_ event: RuntimeEvent) {
        switch event {
        case .stepStarted(let step, _):
            // Every step that runs has a log file, even when it prints nothing; a previous run's content goes.
            let source = OutputSource(kind: step.kind, reference: step.reference)
            let name = path(for: source)
            if step.kind == .task, existingEmpty.withLock({ $0.remove(name) }) != nil {
                files.withLock { $0[name] = -1 }  // exists and is empty: opened when output arrives
                return
            }
            _ = descriptor(for: source, truncate: true)
            if step.kind == .task {
                // Opened again when output arrives: thousands of quiet steps at once hold no descriptors, which every
                // spawn would copy and close.
                closeFile(path(for: source))
            }
        case .serviceProbeStarted(let reference, _, _):
            // Each probe writes to a partial file; a finished probe's output replaces the ready log.
            _ = descriptor(for: OutputSource(kind: .service, reference: reference, part: .ready), truncate: true)
        case .stepFinished(let report) where report.step.kind == .task:
            // Open descriptors would be copied into every process spawned later: close what is done.
            closeFile(path(for: OutputSource(kind: .task, reference: report.step.reference)))
            checkSpace(afterDirectTask: report.step.reference)
        case .servicePhaseChanged(let reference, let phase, _, _, _) where phase.isFinal:
            closeFile(path(for: OutputSource(kind: .service, reference: reference)))
        case .serviceProbeFinished(let reference, _, _, _):
            let source = OutputSource(kind: .service, reference: reference, part: .ready)
            files.withLock { files in
                let partial = path(for: source)
                if let descriptor = files.removeValue(forKey: partial), descriptor >= 0 { systemClose(descriptor) }
                rename(partial, readyLogPath(reference))
            }
        default:
            break
        }
    }

    /// A task's log file opened for appending, to be the task's standard output and error (the caller closes it once
    /// the command has started); `nil` when it cannot be opened (the output is then read as usual).
    package func directFile(forTask reference: String) -> Int32? {
        let source = OutputSource(kind: .task, reference: reference)
        let descriptor = open(path(for: source), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else { return nil }
        directTasks.withLock { _ = $0.insert(reference) }
        return descriptor
    }

    /// Tasks that wrote their log themselves: the runner never saw a write fail, so a filesystem left full at their
    /// end means their log may be incomplete.
    private let directTasks = Mutex<Set<String>>([])

    private func checkSpace(afterDirectTask reference: String) {
        guard directTasks.withLock({ $0.remove(reference) }) != nil else { return }
        var info = statvfs()
        if statvfs(directory + "/tasks", &info) == 0, info.f_bavail == 0 {
            recordProblem(OutputSource(kind: .task, reference: reference), ENOSPC)
        }
    }

    package func output(from source: OutputSource, stream: OutputStreamKind, bytes: UnsafeRawBufferPointer) {
        let descriptor = descriptor(for: source, truncate: false)
        guard descriptor >= 0 else {
            recordProblem(source, errno)
            return
        }
        if let failure = FileDescriptorIO.writeAll(descriptor, bytes) { recordProblem(source, failure) }
    }

    /// Log files that could not be written completely, each with the first reason, in the order they failed.
    package var writeProblems: [String] { problems.withLock { $0.map { "\($0.path): \($0.reason)" } } }

    private let problems = Mutex<[(path: String, reason: String)]>([])

    private func recordProblem(_ source: OutputSource, _ number: Int32) {
        let name = displayPath(for: fileKey(source))
        problems.withLock { problems in
            guard !problems.contains(where: { $0.path == name }) else { return }
            problems.append((name, String(cString: strerror(number))))
        }
    }

    /// Closes one file; output that still arrives for it later reopens it for appending.
    private func closeFile(_ name: String) {
        files.withLock { files in
            if let descriptor = files[name], descriptor >= 0 {
                systemClose(descriptor)
                files[name] = -1
            }
        }
    }

    /// Closes every file. The output of a probe that never finished is kept as the ready log only when no probe
    /// finished at all.
    package func close() {
        files.withLock { files in
            // Logs of a previous run for steps that did not run this time.
            for name in expected where files[name] == nil { unlink(name) }
            for (name, descriptor) in files {
                if descriptor >= 0 { systemClose(descriptor) }
                guard name.hasSuffix(".ready.log.partial") else { continue }
                let final = String(name.dropLast(".partial".count))
                if FileManager.default.fileExists(atPath: final) { unlink(name) } else { rename(name, final) }
            }
            files.removeAll()
        }
    }

    /// Whether a log file exists for the source.
    package func exists(_ source: OutputSource) -> Bool {
        FileManager.default.fileExists(atPath: path(for: source))
    }
}

/// The C library's `write(2)`.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}

/// The C library's `close(2)`, which the type's own `close()` hides.
private func systemClose(_ descriptor: Int32) {
    _ = close(descriptor)
}
