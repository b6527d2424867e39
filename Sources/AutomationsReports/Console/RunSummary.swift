package import AutomationsModel
import Foundation

/// The end-of-run summary: a table of every step, totals and wall time, then the failures with the tail of their
/// logs — the last thing printed, where a reader of a CI log looks first.
package enum RunSummary {
    /// How many log lines each failure shows.
    package static let failureTailLines = 15

    package static func render(_ report: ExecutionReport, logs: StepLogFiles, color: Bool) -> String {
        var table = TextTable(header: ["STEP", "KIND", "RESULT", "DURATION", "EXIT", "LOG"])
        let services = Dictionary(report.services.map { ($0.reference, $0) }, uniquingKeysWith: { $1 })
        for step in report.steps {
            let source = OutputSource(kind: step.step.kind, reference: step.step.reference)
            table.rows.append([
                step.step.reference,
                step.step.kind.rawValue,
                result(of: step, service: services[step.step.reference]),
                step.duration.map(DurationText.human) ?? "-",
                step.termination.map { "\($0.shellStatus)" } ?? "-",
                logs.exists(source) ? logs.displayPath(for: source) : "-",
            ])
        }
        var text = "\n" + ANSIStyle.bold.apply("Summary", if: color) + "\n" + table.render()
        text += totals(report) + "\n"
        for step in report.steps where step.processesLeftRunning > 0 {
            let count = step.processesLeftRunning
            text +=
                "'\(step.step.reference)' left \(count) process\(count == 1 ? "" : "es") running; stopped at the end\n"
        }
        let failures = failureSections(report, services: services, logs: logs, color: color)
        if !failures.isEmpty {
            text += "\n" + ANSIStyle.boldRed.apply("Failures", if: color) + "\n" + failures
        }
        return text
    }

    /// The summary of a run whose plan had no step: the reason, not an empty table.
    package static func renderEmpty(_ report: ExecutionReport, reason: String, color: Bool) -> String {
        "\n" + ANSIStyle.bold.apply("Summary", if: color) + "\n" + ANSIStyle.boldYellow.apply(reason, if: color)
            + "; 0 steps; \(report.phase.shortName)\n"
    }

    static func result(of step: StepReport, service: ServiceReport?) -> String {
        switch step.phase {
        case .pending: return step.isUnaffected ? "unaffected" : "not run"
        case .succeeded:
            if let service, service.phase != .running { return "ready, then \(service.phase.shortName)" }
            if step.isFlaky { return "flaky (\(step.attempts) attempts)" }
            if let hit = step.cache { return "cached (\(DurationText.human(hit.saved)) saved)" }
            return "succeeded"
        case .failed:
            if step.quarantine != nil { return "failed (quarantined)" }
            return step.isWarning ? "failed (warning)" : "failed"
        default: return step.phase.shortName
        }
    }

    static func totals(_ report: ExecutionReport) -> String {
        var counts: [String: Int] = [:]
        for step in report.steps {
            let key = step.phase == .pending ? (step.isUnaffected ? "unaffected" : "not run") : step.phase.shortName
            counts[key, default: 0] += 1
        }
        let order = ["succeeded", "failed", "stopped", "not run", "unaffected"]
        let parts = order.compactMap { key in counts[key].map { "\($0) \(key)" } }
        let failedServices = report.services.filter { $0.phase == .failed }.count
        let wall = DurationText.human(.nanoseconds(Int64(report.completedAt.timeIntervalSince(report.startedAt) * 1e9)))
        var line = "\(report.steps.count) step\(report.steps.count == 1 ? "" : "s")"
        // Services started through the CLI inside the run are steps of the report but not of the plan announced.
        let planned = Set(report.plan.steps.map(\.reference))
        let throughCLI = report.steps.filter { $0.step.kind == .service && !planned.contains($0.step.reference) }.count
        if throughCLI > 0 { line += " (\(throughCLI) started through the CLI)" }
        line += ": " + parts.joined(separator: ", ")
        let flaky = report.steps.filter(\.isFlaky).count
        if flaky > 0 { line += " (\(flaky) flaky)" }
        let cached = report.steps.compactMap(\.cache)
        if !cached.isEmpty {
            let saved = cached.reduce(Duration.zero) { $0 + $1.saved }
            line += " (\(cached.count) cached, \(DurationText.human(saved)) saved)"
        }
        if failedServices > 0 { line += "; \(failedServices) service\(failedServices == 1 ? "" : "s") failed" }
        line += "; wall time \(wall)"
        if let reason = report.stopReason { line += "; \(reason)" }
        line += "; \(report.phase.shortName)"
        return line
    }

    private static func failureSections(
        _ report: ExecutionReport,
        services: [String: ServiceReport],
        logs: StepLogFiles,
        color: Bool
    ) -> String {
        var text = ""
        var seenServices: Set<String> = []
        for step in report.steps where step.phase == .failed || step.phase == .stopped {
            let symbol = step.isWarning ? "!" : "✗"
            let style: ANSIStyle = step.isWarning ? .boldYellow : .boldRed
            text += style.apply(symbol, if: color) + " \(step.step.kind.rawValue) \(step.step.reference): "
            text += (step.failureMessage ?? step.phase.shortName) + "\n"
            text += tail(OutputSource(kind: step.step.kind, reference: step.step.reference), logs: logs)
            if step.step.kind == .service { seenServices.insert(step.step.reference) }
        }
        for service in report.services where service.phase == .failed && !seenServices.contains(service.reference) {
            text += ANSIStyle.boldRed.apply("✗", if: color) + " service \(service.reference): "
            text += (service.failureMessage ?? "failed") + "\n"
            text += tail(OutputSource(kind: .service, reference: service.reference), logs: logs)
        }
        return text
    }

    private static func tail(_ source: OutputSource, logs: StepLogFiles) -> String {
        guard logs.exists(source) else { return "" }
        let lines = LogTail.lastLines(path: logs.path(for: source), lines: failureTailLines)
        guard !lines.isEmpty else { return "    (no output; log: \(logs.displayPath(for: source)))\n" }
        let body = lines.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(
            separator: "\n"
        )
        return body + "\n    (log: \(logs.displayPath(for: source)))\n"
    }
}
