/// One problem found in an automations file or in a request, printed like a compiler's diagnostic.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How serious a diagnostic is.
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    /// Where the problem is; `nil` when it has no position (for example a file that cannot be read).
    public var location: SourceLocation?
    /// The file the problem belongs to when there is no exact position.
    public var file: String?
    public var severity: Severity
    public var message: String
    /// The rule a warning comes from (`AU001`), shown after the message and named by `--allow`.
    public var code: String?

    /// Creates a diagnostic at a position.
    public init(_ severity: Severity = .error, at location: SourceLocation, _ message: String) {
        self.location = location
        self.file = location.file
        self.severity = severity
        self.message = message
    }

    /// Creates a diagnostic without a position (`file` names what it is about, if anything).
    public init(_ severity: Severity = .error, file: String?, _ message: String) {
        self.location = nil
        self.file = file
        self.severity = severity
        self.message = message
    }

    /// `path:line:col: error: message`, or `path: error: message` without a position; a warning ends with its code
    /// (`[AU001]`).
    public var description: String {
        let text = code.map { "\(message) [\($0)]" } ?? message
        if let location {
            return "\(location): \(severity.rawValue): \(text)"
        }
        if let file {
            return "\(file): \(severity.rawValue): \(text)"
        }
        return "\(severity.rawValue): \(text)"
    }
}

extension Array where Element == Diagnostic {
    /// Diagnostics ordered by position; those without a position come first, in their original order.
    public func sortedByPosition() -> [Diagnostic] {
        enumerated().sorted { lhs, rhs in
            switch (lhs.element.location, rhs.element.location) {
            case (nil, nil): lhs.offset < rhs.offset
            case (nil, _): true
            case (_, nil): false
            case (let left?, let right?): left == right ? lhs.offset < rhs.offset : left < right
            }
        }.map(\.element)
    }
}
