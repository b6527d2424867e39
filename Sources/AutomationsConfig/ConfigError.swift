public import AutomationsModel

/// An automations file that cannot be used: every problem found, ordered by position.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    /// The warnings of the parts that could be read (printed after the errors).
    public var warnings: [Diagnostic] = []

    public init(_ diagnostics: [Diagnostic], warnings: [Diagnostic] = []) {
        self.diagnostics = diagnostics
        self.warnings = warnings
    }

    /// A single problem about `file` without a position.
    public init(file: String?, _ message: String) {
        self.diagnostics = [Diagnostic(file: file, message)]
    }

    /// One diagnostic a line.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
