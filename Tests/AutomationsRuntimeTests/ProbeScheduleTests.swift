import Testing

@testable import AutomationsRuntime

/// The readiness probe's schedule: few probes of a server that logs each one, a short wait for one that gets ready.
struct ProbeScheduleTests {
    /// Probes in the first `window` of a service that is never ready, each probe taking `probe`.
    private func probes(in window: Duration, probe: Duration = .milliseconds(5)) -> Int {
        var elapsed = Duration.zero
        var count = 0
        while elapsed < window {
            count += 1
            elapsed += probe
            elapsed += ProbeSchedule.standard.delay(after: elapsed)
        }
        return count
    }

    @Test func aServerThatLogsEveryProbeIsProbedFewTimes() {
        #expect(probes(in: .milliseconds(1_600)) <= 17)  // 27 with a tenth from 25 ms
        #expect(probes(in: .seconds(60)) <= 85)  // about one a second once it has run a while
    }

    @Test func theWaitGrowsWithTheTimeSinceStartWithinBounds() {
        let schedule = ProbeSchedule.standard
        #expect(schedule.delay(after: .zero) == .milliseconds(50))
        #expect(schedule.delay(after: .milliseconds(300)) == .milliseconds(50))
        #expect(schedule.delay(after: .seconds(2)) == .milliseconds(300))
        #expect(schedule.delay(after: .seconds(30)) == .seconds(1))
    }
}
