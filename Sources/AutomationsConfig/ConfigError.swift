public import AutomationsModel

/// An automations file that cannot be used: every problem found, ordered by position.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    /// A single problem about `file` without a position.
    public init(file: String?, _ message: String) {
        self.diagnostics = [Diagnostic(file: file, message)]
    }

    /// One diagnostic a line.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
