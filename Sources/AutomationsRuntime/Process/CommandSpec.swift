/// A command to run: a shell string with its working directory and environment.
public struct CommandSpec: Sendable, Hashable {
    /// The shell string, as written in the automations file.
    public var command: String
    public var workingDirectory: String
    /// The complete environment of the command.
    public var environment: [String: String]
    /// The step the command belongs to, given to it as `AUTOMATIONS_STEP` on top of ``environment`` (which stays
    /// shared between steps, and cheap to start with). Processes it leaves behind carry it too.
    public var step: String?

    /// The variable that names a command's step in its environment.
    public static let stepVariable = "AUTOMATIONS_STEP"

    public init(command: String, workingDirectory: String, environment: [String: String], step: String? = nil) {
        self.command = command
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.step = step
    }
}

/// Which output stream of a command bytes came from.
public enum OutputStreamKind: Sendable, Hashable {
    case stdout
    case stderr
}

/// Receives a command's output as raw bytes, as they arrive, in arrival order per stream.
///
/// Called on the runtime's I/O thread: implementations must be thread-safe and quick (write the bytes
/// somewhere, do not wait on other work). The buffer is only valid during the call.
public protocol CommandOutputSink: Sendable {
    func receive(_ bytes: UnsafeRawBufferPointer, from stream: OutputStreamKind)
}

/// Drops all output.
public struct DiscardingOutputSink: CommandOutputSink {
    public init() {}
    public func receive(_ bytes: UnsafeRawBufferPointer, from stream: OutputStreamKind) {}
}
