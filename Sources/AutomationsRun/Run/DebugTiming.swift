import AutomationsReports
import Foundation

/// `AUTOMATIONS_DEBUG_TIMING=1`: how long a phase of the run took, on standard error, for the benchmarks (what a
/// change costs a check that has nothing else to do).
enum DebugTiming {
    static let enabled = ProcessInfo.processInfo.environment["AUTOMATIONS_DEBUG_TIMING"] == "1"

    static func measure<T>(_ name: String, _ body: () async throws -> T) async rethrows -> T {
        guard enabled else { return try await body() }
        let start = ContinuousClock.now
        let value = try await body()
        report(name, since: start)
        return value
    }

    static func report(_ name: String, since start: ContinuousClock.Instant) {
        guard enabled else { return }
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        TerminalOutput.standardError.write("automations: timing: \(name) \(String(format: "%.1f", milliseconds)) ms\n")
    }
}
