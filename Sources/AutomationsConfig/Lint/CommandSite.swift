import AutomationsModel
import Yams

/// Where a command (`command`, `commands.start`, `commands.ready`, `commands.stop`) is written and how: what the
/// warnings read besides the checked file.
struct CommandSite: Sendable {
    enum Field: String, Sendable {
        case command
        case start
        case ready
        case stop
    }

    var kind: StepKind
    var reference: String
    var field: Field
    /// The command as YAML reads it.
    var text: String
    /// Where the value starts (a quote, a block indicator, or the first character of a plain scalar).
    var location: SourceLocation
    var style: Style

    /// How the scalar is written.
    enum Style: Sendable {
        case plain
        case singleQuoted
        case doubleQuoted
        /// `|`
        case literal
        /// `>`
        case folded

        init(_ style: Node.Scalar.Style) {
            switch style {
            case .singleQuoted: self = .singleQuoted
            case .doubleQuoted: self = .doubleQuoted
            case .literal: self = .literal
            case .folded: self = .folded
            default: self = .plain
            }
        }
    }

    /// The key as written in the file (`command`, `start`, …).
    var key: String { field.rawValue }
}

/// What the decoder saw that the warnings need: the commands and where each `readinessTimeout` is written.
struct LintSources: Sendable {
    var commands: [CommandSite] = []
    var readinessTimeouts: [String: SourceLocation] = [:]
}
