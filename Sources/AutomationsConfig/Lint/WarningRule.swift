/// The mistakes `validate` warns about in a file that is valid: each has a stable code that `--allow` names.
public enum WarningRule: String, Sendable, Hashable, CaseIterable, Comparable {
    case sleepingReadyProbe = "AU001"
    case workspacePath = "AU002"
    case serviceStartedThroughCLI = "AU003"
    case backgroundedStart = "AU004"
    case foldedPlainCommand = "AU005"
    case readinessTimeoutBelowSleep = "AU006"
    case unreachableWithTrigger = "AU007"
    /// In the runner file: a quarantine entry past its date (it no longer quarantines).
    case quarantineExpired = "AU008"

    /// The code shown after a warning (`AU001`).
    public var code: String { rawValue }

    /// One line on what the rule finds, for help texts and the README.
    public var summary: String {
        switch self {
        case .sleepingReadyProbe: "a ready probe that sleeps before (or instead of) checking"
        case .workspacePath: "an absolute /workspace or /workspaces path in a command"
        case .serviceStartedThroughCLI: "a task starting a service through the CLI without depending on it"
        case .backgroundedStart: "a service start whose last command is sent to the background (&)"
        case .foldedPlainCommand: "a command written as a plain scalar over several lines (YAML folds it into one)"
        case .readinessTimeoutBelowSleep: "a readinessTimeout shorter than the sleep in the ready probe"
        case .unreachableWithTrigger: "a service or task that nothing starts with the --trigger given"
        case .quarantineExpired: "a quarantine entry of the runner file past its date (it no longer quarantines)"
        }
    }

    /// The rule with this code (`AU001`, case-insensitive).
    public init?(code: String) {
        self.init(rawValue: code.uppercased())
    }

    public static func < (lhs: WarningRule, rhs: WarningRule) -> Bool { lhs.rawValue < rhs.rawValue }
}
