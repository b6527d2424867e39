import AutomationsModel

/// How long to wait before the next readiness probe: a fraction of the time since the service started, within
/// bounds. The defaults (a tenth, between 25 ms and 1 s) see a service that is ready after 300 ms within about
/// 30 ms, and cost about one probe a second for one that takes a minute.
public struct ProbeSchedule: Sendable, Hashable {
    public var fraction: Double
    public var minimum: Duration
    public var maximum: Duration

    public init(fraction: Double = 0.1, minimum: Duration = .milliseconds(25), maximum: Duration = .seconds(1)) {
        self.fraction = fraction
        self.minimum = minimum
        self.maximum = maximum
    }

    public static let standard = ProbeSchedule()

    /// The wait before the next probe, `elapsed` after the service started.
    public func delay(after elapsed: Duration) -> Duration {
        let scaled = Duration.nanoseconds(Int64(Double(elapsed.nanoseconds) * fraction))
        return min(max(scaled, minimum), maximum)
    }
}
