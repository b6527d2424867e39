/// What a ready descriptor on the ``IOLoop`` is about: one command's exit (its process descriptor), one of its
/// two output pipes, or SIGCHLD (for every command, where exits are seen that way). It travels as the poller's
/// 64-bit user data.
struct WatchToken: Hashable, Sendable {
    enum Source: UInt64, Sendable {
        case exit = 0
        case standardOutput = 1
        case standardError = 2
        /// SIGCHLD arrived: some child exited (``Platform/ExitWatch/childSignal``); the command id is 0.
        case childSignal = 3
    }

    let commandID: UInt64
    let source: Source

    init(commandID: UInt64, source: Source) {
        precondition(commandID < 1 << 62, "command id \(commandID) does not fit a token")
        self.commandID = commandID
        self.source = source
    }

    /// The output pipe a token stands for: 0 for standard output, 1 for standard error.
    init(commandID: UInt64, outputStream: Int) {
        self.init(commandID: commandID, source: outputStream == 0 ? .standardOutput : .standardError)
    }

    /// The packed form: the command id above two bits of source.
    var rawValue: UInt64 { commandID << 2 | source.rawValue }

    /// The token packed in `rawValue`; `nil` for a value no token packs to (the loop's own wake-up has one).
    init?(rawValue: UInt64) {
        guard let source = Source(rawValue: rawValue & 3) else { return nil }
        self.commandID = rawValue >> 2
        self.source = source
    }

    /// The index of the output pipe (0 standard output, 1 standard error); `nil` for the exit.
    var outputStream: Int? {
        switch source {
        case .exit, .childSignal: nil
        case .standardOutput: 0
        case .standardError: 1
        }
    }
}
