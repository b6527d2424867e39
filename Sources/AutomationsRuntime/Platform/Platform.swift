import CAutomationsSystem
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the runtime asks of the operating system, chosen once at start. The rest of the runtime names no platform:
/// it spawns through ``Platform/spawn(_:_:_:_:_:_:_:_:)``, waits on a ``Poller``, learns of exits as
/// ``ExitWatch`` says, and reads the process table through ``ProcessTable``.
///
/// - `linux`: clone(CLONE_VM|CLONE_VFORK) spawns, epoll, a pidfd per command (Linux 5.3+) or, where `pidfd_open`
///   is refused (older kernels, seccomp filters), SIGCHLD read from a signalfd and `waitpid`; the subreaper; `/proc`.
/// - `posix`: `posix_spawn`, `poll`, SIGCHLD through a self-pipe and `waitpid`, the process table from `ps`. What
///   macOS and the BSDs use; on Linux with `AUTOMATIONS_BACKEND=posix`.
package enum Platform {
    package enum Backend: String, Sendable, CaseIterable {
        case linux
        case posix
    }

    /// How the end of a command's first process is seen.
    package enum ExitWatch: Sendable, Equatable {
        /// A descriptor per process that reads as ready when it exits (Linux's pidfd).
        case processDescriptor
        /// SIGCHLD, read from one descriptor (a signalfd, or a self-pipe written by a handler), then `waitpid`.
        case childSignal
    }

    /// The variable that selects the backend (`linux` or `posix`); unset: the platform's own.
    package static let backendVariable = "AUTOMATIONS_BACKEND"
    /// Set to anything, the runtime says on standard error which mechanisms it chose.
    package static let debugVariable = "AUTOMATIONS_DEBUG_BACKEND"

    /// The backends this build can use.
    package static var availableBackends: [Backend] {
        #if os(Linux)
        Backend.allCases
        #else
        [.posix]
        #endif
    }

    /// What is wrong with `AUTOMATIONS_BACKEND`, for the command line to report; `nil` when it is unset or valid.
    package static var backendChoiceError: String? {
        guard let value = ProcessInfo.processInfo.environment[backendVariable], !value.isEmpty else { return nil }
        if let backend = Backend(rawValue: value), availableBackends.contains(backend) { return nil }
        let names = availableBackends.map(\.rawValue).joined(separator: " or ")
        return "\(backendVariable)='\(value)' is not a process backend of this build (use \(names))"
    }

    /// The backend in use.
    package static let backend: Backend = {
        let value = ProcessInfo.processInfo.environment[backendVariable] ?? ""
        if let chosen = Backend(rawValue: value), availableBackends.contains(chosen) { return chosen }
        return availableBackends[0]
    }()

    /// How exits are seen, found out once: a pidfd for this process tells whether the kernel gives them.
    package static let exitWatch: ExitWatch = {
        #if os(Linux)
        guard backend == .linux else { return .childSignal }
        let probe = automations_pidfd_open(getpid())
        guard probe >= 0 else {
            pidfdRefusal = errno
            return .childSignal
        }
        close(probe)
        return .processDescriptor
        #else
        return .childSignal
        #endif
    }()

    /// The errno with which `pidfd_open` was refused, when it was.
    nonisolated(unsafe) private static var pidfdRefusal: Int32 = 0

    /// One line saying what was chosen and why, for `AUTOMATIONS_DEBUG_BACKEND`.
    package static var description: String {
        let exits: String
        switch exitWatch {
        case .processDescriptor: exits = "exits by pidfd"
        case .childSignal where backend == .linux:
            exits = "exits by SIGCHLD (signalfd) and waitpid: pidfd_open failed with \(errorName(pidfdRefusal))"
        case .childSignal: exits = "exits by SIGCHLD (self-pipe) and waitpid"
        }
        switch backend {
        case .linux:
            return "process backend linux: clone spawns, epoll, \(exits), subreaper, /proc"
        case .posix:
            return "process backend posix: posix_spawn, poll, \(exits), process table from ps, no subreaper"
        }
    }

    private static func errorName(_ number: Int32) -> String {
        switch number {
        case ENOSYS: "ENOSYS"
        case EPERM: "EPERM"
        case EINVAL: "EINVAL"
        default: "errno \(number)"
        }
    }

    /// Says which mechanisms were chosen, once, when `AUTOMATIONS_DEBUG_BACKEND` is set.
    static func announceIfAsked() {
        guard ProcessInfo.processInfo.environment[debugVariable] != nil else { return }
        FileHandle.standardError.write(Data("automations: \(description)\n".utf8))
    }

    // MARK: - Spawning

    /// Spawns `path` in a new session (its pid is its group's id), every signal at its default and none blocked,
    /// descriptors 0–2 from the given ones (-1: /dev/null), nothing else inherited, in `directory` (`nil`: here).
    /// - Returns: 0, or the error number of the failed spawn.
    static func spawn(
        _ pid: inout Int32,
        _ path: String,
        _ arguments: [UnsafeMutablePointer<CChar>?],
        _ environment: [UnsafeMutablePointer<CChar>?],
        _ directory: String?,
        _ standardInput: Int32,
        _ standardOutput: Int32,
        _ standardError: Int32
    ) -> Int32 {
        #if os(Linux)
        if backend == .linux {
            return automations_linux_spawn(
                &pid,
                path,
                arguments,
                environment,
                directory,
                standardInput,
                standardOutput,
                standardError
            )
        }
        #endif
        return automations_posix_spawn(
            &pid,
            path,
            arguments,
            environment,
            directory,
            standardInput,
            standardOutput,
            standardError
        )
    }

    /// A descriptor that reads as ready when `pid` exits (``ExitWatch/processDescriptor`` only), or -1 with errno.
    static func exitDescriptor(for pid: Int32) -> Int32 {
        #if os(Linux)
        return automations_pidfd_open(pid)
        #else
        errno = ENOSYS
        return -1
        #endif
    }

    /// The one descriptor that reads as ready after SIGCHLD (``ExitWatch/childSignal`` only).
    static func makeChildSignalDescriptor() -> Int32 {
        #if os(Linux)
        if backend == .linux { return automations_child_signal_fd() }
        #endif
        return automations_child_signal_pipe()
    }

    /// Called on the event loop's thread when it starts: where SIGCHLD is taken by a handler, it runs there.
    static func prepareEventLoopThread() {
        if backend == .posix { automations_unblock_child_signal() }
    }

    /// The poller of the event loop.
    static func makePoller() -> any Poller {
        #if os(Linux)
        if backend == .linux { return EpollPoller() }
        #endif
        return PollPoller()
    }

    /// Makes this process a child subreaper (Linux only), so that processes that leave their command's group are
    /// re-parented to it and can be found and stopped. Returns false where that cannot be done.
    static func becomeSubreaper() -> Bool {
        #if os(Linux)
        if backend == .linux {
            let done = automations_set_child_subreaper() == 0
            isSubreaper.withLock { $0 = $0 || done }
            return done
        }
        #endif
        return false
    }

    /// Whether orphaned descendants are re-parented to this process (and so must be reaped by it).
    static var adoptsOrphans: Bool { isSubreaper.withLock { $0 } }
    private static let isSubreaper = Mutex(false)

    /// The path of the running executable.
    package static var ownExecutable: String {
        #if os(Linux)
        if backend == .linux, let path = LinuxProcessTable.ownExecutable { return path }
        #endif
        return Bundle.main.executablePath ?? CommandLine.arguments[0]
    }
}
