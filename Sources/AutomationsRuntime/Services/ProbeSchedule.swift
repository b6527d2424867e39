import AutomationsModel

/// How long to wait before the next readiness probe: a fraction of the time since the service started, within
/// bounds. The defaults (15 %, between 50 ms and 1 s) weigh readiness latency against probes a second: a service
/// whose server logs every request got 27 probes in its first 1.6 s with a tenth from 25 ms, and gets 17 with these
/// (a simulation with 5 ms probes); one that is ready after 300 ms is seen a median 23 ms late (18 ms before), one
/// ready after 10 s about 0.47 s late, and one that takes a minute costs about one probe a second.
public struct ProbeSchedule: Sendable, Hashable {
    public var fraction: Double
    public var minimum: Duration
    public var maximum: Duration

    public init(fraction: Double = 0.15, minimum: Duration = .milliseconds(50), maximum: Duration = .seconds(1)) {
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
