public import Foundation

/// A task step served from the result cache: an earlier run passed with the same inputs, so it was not run again.
public struct CacheHit: Sendable, Hashable {
    /// The key of its inputs.
    public var key: String
    /// When the reused run passed.
    public var storedAt: Date
    /// The commit the reused run was at (short), when known.
    public var commit: String?
    /// How long the reused run took: the time this hit saved.
    public var saved: Duration
    /// The reused run passed only after a retry.
    public var flaky: Bool
    /// Found in the shared (remote) cache rather than this machine's.
    public var fromRemote: Bool

    public init(key: String, storedAt: Date, commit: String?, saved: Duration, flaky: Bool, fromRemote: Bool) {
        self.key = key
        self.storedAt = storedAt
        self.commit = commit
        self.saved = saved
        self.flaky = flaky
        self.fromRemote = fromRemote
    }

    /// `passed 2 h ago at 3f2a1c0, 41 s saved`.
    public func summary(now: Date = Date()) -> String {
        let age = Self.age(now.timeIntervalSince(storedAt))
        let place = commit.map { " at \($0)" } ?? ""
        return "passed \(age)\(place), \(DurationText.human(saved)) saved"
    }

    private static func age(_ seconds: Double) -> String {
        switch seconds {
        case ..<60: "just now"
        case ..<3600: "\(Int(seconds / 60)) min ago"
        case ..<86400: "\(Int(seconds / 3600)) h ago"
        default: "\(Int(seconds / 86400)) d ago"
        }
    }
}
