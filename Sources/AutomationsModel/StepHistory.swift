/// What the run history says of a step before it runs: how long it usually takes, and whether it is known to be flaky.
public struct StepHistory: Sendable, Hashable {
    public var runs: Int
    public var medianSeconds: Double?
    public var p95Seconds: Double?
    /// Of the recorded runs, the share in which it passed only after a retry.
    public var flakyRate: Double

    public init(runs: Int, medianSeconds: Double?, p95Seconds: Double?, flakyRate: Double) {
        self.runs = runs
        self.medianSeconds = medianSeconds
        self.p95Seconds = p95Seconds
        self.flakyRate = flakyRate
    }

    /// Known flaky: it passed only after a retry in some recorded run.
    public var isKnownFlaky: Bool { flakyRate > 0 }
}
