public import AutomationsModel
public import Foundation

/// How a command ended and when.
public struct CommandResult: Sendable, Hashable {
    /// The exit status or terminating signal of the command's first process (the shell, or the program).
    public var termination: Termination
    public var startedAt: Date
    /// When the last process of the command's group was gone.
    public var endedAt: Date
    /// Monotonic time from spawn to the end of the group.
    public var duration: Duration
    /// True when the runtime sent SIGTERM or SIGKILL to the group because it was asked to stop it.
    public var wasStopped: Bool
    /// True when ``RunningCommand/stop(grace:)`` found the group still there after the grace period and killed it.
    public var wasKilledAfterGracePeriod: Bool

    public init(
        termination: Termination,
        startedAt: Date,
        endedAt: Date,
        duration: Duration,
        wasStopped: Bool,
        wasKilledAfterGracePeriod: Bool = false
    ) {
        self.termination = termination
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.duration = duration
        self.wasStopped = wasStopped
        self.wasKilledAfterGracePeriod = wasKilledAfterGracePeriod
    }
}

/// Why a command could not be started.
public struct SpawnError: Error, Sendable, CustomStringConvertible {
    public var command: String
    public var errorNumber: Int32

    public var description: String {
        "cannot start '\(command)': \(String(cString: strerror(errorNumber)))"
    }
}
