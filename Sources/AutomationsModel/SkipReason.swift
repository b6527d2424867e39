/// Why a step of a plan was not run (its phase stays PENDING).
public enum SkipReason: Sendable, Hashable, CustomStringConvertible {
    /// A dependency of the step failed.
    case dependencyFailed(String)
    /// A dependency of the step was stopped.
    case dependencyStopped(String)
    /// A dependency of the step was not run itself.
    case dependencyNotRun(String)
    /// A step of an earlier group failed (and `--keep-going` was not given).
    case earlierGroupFailed(String)
    /// Another step failed and the run was scheduled by dependencies (`--schedule dependencies`) without
    /// `--keep-going`: nothing new starts after a failure.
    case anotherStepFailed(String)
    /// The run was being stopped.
    case runStopped(StopReason)
    /// Not selected by the changes (`--changed-since`, `--changed-files`, a push): no changed path matches its
    /// sources (`patterns`), and no task it depends on was selected; a service: no selected task needs it.
    case unaffected(patterns: [String])

    /// `dependency 'test' failed`, `not run: 'test' failed in an earlier group`.
    public var description: String {
        switch self {
        case .dependencyFailed(let reference): "dependency '\(reference)' failed"
        case .dependencyStopped(let reference): "dependency '\(reference)' was stopped"
        case .dependencyNotRun(let reference): "dependency '\(reference)' did not run"
        case .earlierGroupFailed(let reference): "'\(reference)' failed in an earlier group"
        case .anotherStepFailed(let reference): "'\(reference)' failed before it could start"
        case .runStopped(let reason): "\(reason)"
        case .unaffected(let patterns):
            patterns.isEmpty
                ? "unaffected: no selected task needs it"
                : "unaffected: no change under " + patterns.joined(separator: ", ")
        }
    }
}
