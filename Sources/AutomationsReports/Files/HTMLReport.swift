import Foundation

/// The self-contained HTML report: the verdict, a timeline of every step on one time axis with the critical path,
/// the failures with their log tails, and every step's log head and tail. Rendered from a JSON report (one run's,
/// or several shards' merged), so `run --html` and `report --html` draw the same page. No request leaves it; it
/// reads without JavaScript (the script only filters) and prints.
package enum HTMLReport {
    /// How much of each step's log the page holds (head and tail together).
    static let logLimit = 2 * 1024
    /// How many lines of a failure's log tail it shows.
    static let failureLines = 15

    struct Step {
        var reference: String
        var kind: String
        var phase: String
        var outcome: String
        var message: String?
        var start: Date?
        var end: Date?
        var exitStatus: Int?
        var flaky: Bool
        /// Served from the result cache: drawn apart, with the time it saved.
        var cached: Bool = false
        /// Failed, but quarantined by the runner file: it did not fail the run.
        var quarantined: Bool = false
        /// The usual duration and p95 from the run history, in seconds.
        var usual: (median: Double, p95: Double?)? = nil
        /// How often the history saw it pass only after a retry.
        var flakyRate: Double? = nil
        var logPath: String?
        var readyAt: Date?
        var stoppingAt: Date?
        var endedAt: Date?
        /// The tests the task ran (`--collect-junit`): tests, failed, skipped.
        var innerTests: (tests: Int, failed: Int, skipped: Int)?
        /// A service's last phase (`SERVICE_PHASE_STOPPED`, …).
        var servicePhase: String? = nil
        /// The shard whose run the step's times come from (merged reports).
        var lane: String? = nil

        /// The same step with every time moved by `offset` seconds (a shard drawn from the merged run's start).
        func shifted(by offset: TimeInterval) -> Step {
            var step = self
            step.start = start?.addingTimeInterval(offset)
            step.end = end?.addingTimeInterval(offset)
            step.readyAt = readyAt?.addingTimeInterval(offset)
            step.stoppingAt = stoppingAt?.addingTimeInterval(offset)
            step.endedAt = endedAt?.addingTimeInterval(offset)
            return step
        }

        /// The result in the console's words: `not run` for a step that did not run, `ready, then stopped` for a
        /// service that got ready and was stopped at the end.
        var shownResult: String {
            if kind == "service", result == "succeeded", let servicePhase, servicePhase != "SERVICE_PHASE_RUNNING" {
                return "ready, then " + servicePhase.replacingOccurrences(of: "SERVICE_PHASE_", with: "").lowercased()
            }
            return HTMLReport.shown(result)
        }

        /// `succeeded`, `failed`, `error`, `skipped`, `stopped`, `flaky`.
        var result: String {
            if flaky { return "flaky" }
            if cached { return "cached" }
            if quarantined { return "quarantined" }
            switch outcome {
            case "passed": return "succeeded"
            case "failure": return "failed"
            case "error": return phase.hasSuffix("STOPPED") ? "stopped" : "error"
            default: return "skipped"
            }
        }
    }

    /// The page for `report`. Log files are read where the report says they are.
    package static func html(_ report: RunReport) -> String {
        let services = Dictionary(report.services.map { ($0.reference, $0) }, uniquingKeysWith: { first, _ in first })
        let date = { (text: String?) in text.flatMap(Timestamp.parse) }
        var steps: [Step] = report.steps.map { step in
            let service = step.isService ? services[step.reference] : nil
            var drawn = Step(
                reference: step.reference,
                kind: step.kind,
                phase: step.phase,
                outcome: step.outcome,
                message: step.cache.map {
                    "cached: passed \($0.commit.map { "at \($0), " } ?? "")\($0.savedSeconds) s saved"
                }
                    ?? step.outcomeMessage ?? step.failureMessage ?? step.skipReason,
                start: step.start,
                end: step.end,
                exitStatus: step.exitStatus,
                flaky: step.flaky,
                logPath: step.logPath,
                readyAt: date(service?.readyAt),
                stoppingAt: date(service?.stoppingAt),
                endedAt: date(service?.endedAt),
                innerTests: step.innerTests.map { ($0.tests, $0.failures + $0.errors, $0.skipped) },
                servicePhase: service?.phase,
                lane: step.shards?.first
            )
            drawn.cached = step.cache != nil
            drawn.quarantined = step.quarantine != nil
            drawn.flakyRate = step.history.flatMap { Double($0.flakyRate) }
            if let median = step.history?.medianSeconds.flatMap(Double.init) {
                drawn.usual = (median, step.history?.p95Seconds.flatMap(Double.init))
            }
            return drawn
        }
        let lanes = ShardLanes(report)
        if let lanes { steps = lanes.arrange(steps) }
        let runStart = report.start ?? steps.compactMap(\.start).min() ?? Date()
        let runEnd = report.end ?? steps.compactMap(\.end).max() ?? runStart
        let wall = max(runEnd.timeIntervalSince(runStart), 0.001)
        // Shards ran side by side: the critical path is the longest shard's.
        let critical = criticalPath(lanes.map { lanes in steps.filter { $0.lane == lanes.longest } } ?? steps)
        let phase = report.phase.replacingOccurrences(of: "TASK_EXECUTION_PHASE_", with: "")
            .lowercased()

        var page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        page += "<title>automations: \(escape(phase)) — \(escape(report.file))</title>"
        page += "<style>\(style)</style></head>\n<body>\n"
        page += header(report, steps: steps, phase: phase, wall: wall, lanes: lanes)
        page += timeline(steps, critical: critical, runStart: runStart, runEnd: runEnd, wall: wall, lanes: lanes)
        page += failures(steps)
        page += stepList(steps)
        page += "<script>\(script)</script>\n</body></html>\n"
        return page
    }

    /// The chain of steps that set the wall time: from the step that ended last, back through the step that ended
    /// last before each one started (its dependency, or the end of the group before it).
    static func criticalPath(_ steps: [Step]) -> [Step] {
        let timed = steps.filter { $0.start != nil && $0.end != nil }
        guard var current = timed.max(by: { $0.end! < $1.end! }) else { return [] }
        var chain = [current]
        while let previous = timed.filter({
            $0.end! <= current.start!.addingTimeInterval(0.002) && $0.reference != current.reference
        })
        .max(by: { $0.end! < $1.end! }), !chain.contains(where: { $0.reference == previous.reference }) {
            chain.append(previous)
            current = previous
        }
        return chain.reversed()
    }

    private static func header(
        _ report: RunReport,
        steps: [Step],
        phase: String,
        wall: TimeInterval,
        lanes: ShardLanes?
    ) -> String {
        var counts: [String: Int] = [:]
        for step in steps { counts[step.result, default: 0] += 1 }
        let order = ["succeeded", "cached", "flaky", "quarantined", "failed", "error", "stopped", "skipped"]
        let summary = order.compactMap { key in
            counts[key].map { "<span class=\"count \(key)\">\($0) \(shown(key))</span>" }
        }
        var html = "<header data-verdict=\"\(escape(phase))\"><h1 class=\"\(escape(phase))\">"
        html += "\(phase == "succeeded" ? "✓" : phase == "stopped" ? "■" : "✗") \(escape(phase))</h1>"
        html += "<p class=\"counts\">\(steps.count) steps: \(summary.joined(separator: ", ")); wall time "
        html += "\(String(format: "%.2f", wall)) s"
        if let lanes {
            html += " (its longest shard's, \(escape(lanes.longest)): the \(lanes.order.count) shards ran side by side)"
        }
        html += "</p><dl class=\"meta\">"
        var meta: [(String, String)] = [("file", report.file)]
        if let trigger = report.trigger { meta.append(("trigger", trigger)) }
        if !report.targets.isEmpty {
            meta.append(("targets", report.targets.joined(separator: " ")))
        }
        if let shard = report.shard { meta.append(("shard", shard)) }
        if let merged = report.merged { meta.append(("shards", merged.joined(separator: " "))) }
        if let missing = report.missingShards { meta.append(("missing shards", missing.joined(separator: " "))) }
        for (key, value) in meta { html += "<dt>\(key)</dt><dd>\(escape(value))</dd>" }
        html += "</dl>\n<form class=\"filters\" id=\"filters\"><span>Show:</span>"
        for key in order where counts[key] != nil {
            html += "<label><input type=\"checkbox\" name=\"\(key)\" checked> \(shown(key))</label>"
        }
        return html + "</form></header>\n"
    }

    private static func timeline(
        _ steps: [Step],
        critical: [Step],
        runStart: Date,
        runEnd: Date,
        wall: TimeInterval,
        lanes: ShardLanes? = nil
    )
        -> String
    {
        let onPath = Set(critical.map(\.reference))
        func percent(_ date: Date) -> String {
            String(format: "%.3f", max(0, min(100, date.timeIntervalSince(runStart) / wall * 100)))
        }
        func segment(_ phase: String, _ reference: String, from start: Date, to end: Date) -> String {
            let width = String(format: "%.3f", max(0.2, end.timeIntervalSince(start) / wall * 100))
            return "<span class=\"bar \(phase)\" style=\"left:\(percent(start))%;width:\(width)%\" "
                + "title=\"\(escape(reference)): \(phase), \(String(format: "%.3f", end.timeIntervalSince(start))) s\"></span>"
        }
        var html = "<section id=\"timeline\"><h2>Timeline</h2>"
        if let first = critical.first, let last = critical.last, let start = first.start, let end = last.end {
            html +=
                "<p class=\"critical-summary\" data-critical-length=\"\(String(format: "%.3f", end.timeIntervalSince(start)))\">"
            html += "Critical path (\(String(format: "%.2f", end.timeIntervalSince(start))) s): "
            html += critical.map { "<code>\(escape($0.reference))</code>" }.joined(separator: " → ") + "</p>"
        }
        html += "<div class=\"axis\">"
        for seconds in ticks(wall) {
            let left = String(format: "%.3f", seconds / wall * 100)
            html += "<span style=\"left:\(left)%\">\(tickLabel(seconds)) s</span>"
        }
        html += "</div><ol class=\"rows\">"
        var lane: String?
        for step in steps {
            if let lanes, let current = step.lane, current != lane {
                lane = current
                let seconds = lanes.seconds[current].map { String(format: " · %.2f s", $0) } ?? ""
                html += "<li class=\"lane\" data-shard=\"\(escape(current))\">shard \(escape(current))\(seconds)</li>"
            }
            let critical = onPath.contains(step.reference)
            html += "<li class=\"row\" data-step=\"\(escape(step.reference))\" data-kind=\"\(step.kind)\" "
            html += "data-result=\"\(step.result)\"\(critical ? " data-critical=\"true\"" : "")>"
            html += "<span class=\"label\">\(escape(step.reference))</span><span class=\"track\">"
            if let start = step.start, let end = step.end {
                let left = percent(start)
                let width = String(format: "%.3f", max(0.2, end.timeIntervalSince(start) / wall * 100))
                let title =
                    "\(step.reference): \(step.shownResult), \(String(format: "%.3f", end.timeIntervalSince(start))) s"
                let phaseName = step.kind == "service" ? " starting" : ""
                html += "<span class=\"bar \(step.result)\(phaseName)\(critical ? " critical" : "")\" "
                html += "style=\"left:\(left)%;width:\(width)%\" title=\"\(escape(title))\"></span>"
                if step.kind == "service", let ready = step.readyAt {
                    // Running from ready until it began to stop, then stopping until it ended.
                    let stopping = step.stoppingAt ?? step.endedAt ?? runEnd
                    html += segment("running", step.reference, from: ready, to: stopping)
                    if let stoppingAt = step.stoppingAt {
                        html += segment("stopping", step.reference, from: stoppingAt, to: step.endedAt ?? runEnd)
                    }
                }
            }
            html += "</span></li>"
        }
        return html
            + "</ol><p class=\"legend\"><span class=\"bar succeeded\"></span> succeeded <span class=\"bar failed\"></span> failed <span class=\"bar error\"></span> error or stopped <span class=\"bar flaky\"></span> flaky <span class=\"bar cached\"></span> cached (not run: an earlier run passed with the same inputs) <span class=\"bar starting\"></span> service starting <span class=\"bar running\"></span> service running <span class=\"bar stopping\"></span> service stopping <span class=\"bar critical\"></span> critical path</p></section>\n"
    }

    /// A result's word as the console says it (`skipped` is `not run` there).
    static func shown(_ result: String) -> String { result == "skipped" ? "not run" : result }

    /// Round tick values (0 and multiples of 1, 2 or 5 × 10ⁿ seconds) up to `wall`, at most 6 of them.
    static func ticks(_ wall: TimeInterval) -> [TimeInterval] {
        guard wall > 0 else { return [0] }
        let rough = wall / 5
        let magnitude = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
        return stride(from: 0, through: wall + step * 1e-9, by: step).map { ($0 / step).rounded() * step }
    }

    /// `0`, `0.5`, `2`, `0.25`: no more decimals than the value has.
    static func tickLabel(_ seconds: TimeInterval) -> String {
        var text = String(format: "%.3f", seconds)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    private static func failures(_ steps: [Step]) -> String {
        let failed = steps.filter { ["failed", "error", "stopped"].contains($0.result) }
        guard !failed.isEmpty else { return "" }
        var html = "<section id=\"failures\"><h2>Failures</h2>"
        for step in failed {
            html += "<article class=\"failure\" data-step=\"\(escape(step.reference))\" data-result=\"\(step.result)\">"
            html +=
                "<h3>✗ \(step.kind) <code>\(escape(step.reference))</code>: \(escape(step.message ?? step.result))</h3>"
            if let path = step.logPath, FileManager.default.fileExists(atPath: path) {
                let tail = LogTail.lastLines(path: path, lines: failureLines)
                html += "<pre class=\"log\">\(XMLText.escape(Array(tail.utf8)))</pre>"
            }
            html += "</article>"
        }
        return html + "</section>\n"
    }

    /// `, usually 1.200 s`, marked when this run was slower than the step's p95 in the history.
    private static func usualDuration(_ step: Step) -> String {
        var flaky = ""
        if let rate = step.flakyRate, rate > 0, step.result == "failed" {
            flaky = String(
                format: " <span class=\"known-flaky\">known flaky: passed only after a retry in %.0f%% of runs</span>",
                rate * 100
            )
        }
        guard let usual = step.usual else { return flaky }
        var html = String(format: ", <span class=\"usual\">usually %.3f s</span>", usual.median)
        if let p95 = usual.p95, let start = step.start, let end = step.end, end.timeIntervalSince(start) > p95 {
            html += String(format: " <span class=\"slow\">slower than its p95 (%.3f s)</span>", p95)
        }
        return html + flaky
    }

    private static func stepList(_ steps: [Step]) -> String {
        var html = "<section id=\"steps\"><h2>Steps</h2>"
        for step in steps {
            let duration = step.start.flatMap { start in
                step.end.map { String(format: ", %.3f s", $0.timeIntervalSince(start)) }
            }
            html += "<details class=\"step\" data-step=\"\(escape(step.reference))\" data-result=\"\(step.result)\">"
            html += "<summary><span class=\"dot \(step.result)\"></span> <code>\(escape(step.reference))</code> "
            html += "\(step.kind), \(step.shownResult)\(duration ?? "")"
            if let status = step.exitStatus { html += ", exit \(status)" }
            html += usualDuration(step)
            if let inner = step.innerTests {
                html += ", <span class=\"inner-tests\" data-tests=\"\(inner.tests)\" data-failed=\"\(inner.failed)\">"
                html += "\(inner.tests) tests: \(inner.failed) failed, \(inner.skipped) skipped</span>"
            }
            if let message = step.message, step.result != "succeeded" { html += " — \(escape(message))" }
            html += "</summary>"
            if let path = step.logPath, FileManager.default.fileExists(atPath: path) {
                html += "<pre class=\"log\">\(XMLText.escape(LogTail.read(path: path, limit: logLimit)))</pre>"
                html += "<p class=\"path\">log: <code>\(escape(path))</code></p>"
            } else {
                html += "<p class=\"path\">no log</p>"
            }
            html += "</details>"
        }
        return html + "</section>\n"
    }

    private static func escape(_ text: String) -> String { XMLText.escape(text, singleLine: true) }

    private static let style = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#fff}\
        header,section{padding:12px 24px}header{border-bottom:1px solid #d0d7de;background:#f6f8fa}\
        h1{margin:0;font-size:24px}h1.succeeded{color:#1a7f37}h1.failed{color:#cf222e}h1.stopped{color:#9a6700}\
        h2{font-size:16px;margin:8px 0}.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0}\
        dt{color:#57606a}dd{margin:0;font-family:ui-monospace,monospace}.count{font-weight:600}\
        .count.succeeded{color:#1a7f37}.count.failed,.count.error{color:#cf222e}.count.flaky,.count.stopped{color:#9a6700}.count.cached{color:#1b7c83}.count.quarantined{color:#9a6700}\
        .count.skipped{color:#57606a}.filters label{margin-right:10px}\
        .axis{position:relative;height:18px;margin-left:180px;border-bottom:1px solid #d0d7de;font-size:11px;color:#57606a}\
        .axis span{position:absolute;transform:translateX(-50%);white-space:nowrap}.axis span:first-child{transform:none}\
        .axis span:last-child{transform:translateX(-100%)}.rows{list-style:none;margin:0;padding:0}\
        .row{display:flex;align-items:center;height:18px}.row:nth-child(odd){background:#f6f8fa}\
        .label{width:172px;padding-right:8px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;\
        font-family:ui-monospace,monospace;font-size:12px;text-align:right}\
        .track{position:relative;flex:1;height:12px}.lane{font-weight:600;font-size:12px;margin:8px 0 2px}.bar{position:absolute;top:0;height:12px;border-radius:2px;\
        min-width:4px;display:inline-block}.legend .bar{position:static;width:14px;vertical-align:middle;margin-left:8px}\
        .bar.succeeded{background:#2da44e}.bar.failed{background:#cf222e}.bar.error,.bar.stopped{background:#bc4c00}\
        .bar.flaky{background:#d4a72c}.bar.cached{background:#1b7c83;opacity:.6}.bar.quarantined{background:#bf8700;opacity:.7}.bar.skipped{background:#8c959f}.bar.starting{background:#54aeff}\
        .bar.running{background:#b6e3ff;top:3px;height:6px}.bar.stopping{background:#8250df;top:3px;height:6px}.bar.critical{outline:2px solid #1f2328;outline-offset:1px;\
        z-index:1}.critical-summary code{font-weight:600}\
        .failure{border-left:4px solid #cf222e;padding:4px 12px;margin:8px 0;background:#fff8f8}\
        .failure h3{font-size:14px;margin:4px 0}pre.log{background:#f6f8fa;border:1px solid #d0d7de;padding:8px;\
        overflow:auto;max-height:320px;white-space:pre-wrap;word-break:break-all;font-size:12px}\
        details.step{border-bottom:1px solid #eaeef2;padding:2px 0}summary{cursor:pointer}\
        .dot{display:inline-block;width:9px;height:9px;border-radius:50%}.dot.succeeded{background:#2da44e}\
        .dot.failed{background:#cf222e}.dot.error,.dot.stopped{background:#bc4c00}.dot.flaky{background:#d4a72c}.dot.cached{background:#1b7c83}.usual{color:#57606a}.known-flaky{color:#9a6700;font-weight:600}.slow{color:#bc4c00;font-weight:600}.dot.quarantined{background:#bf8700}\
        .dot.skipped{background:#8c959f}.path{color:#57606a;font-size:12px;margin:2px 0}\
        .hidden{display:none!important}@media print{.filters{display:none}details.step{break-inside:avoid}\
        details.step>pre{max-height:none}.row:nth-child(odd){background:none}}
        """

    private static let script = """
        document.querySelectorAll('#filters input').forEach(function(box){box.addEventListener('change',function(){\
        document.querySelectorAll('[data-result="'+box.name+'"]').forEach(function(e){\
        e.classList.toggle('hidden',!box.checked);});});});
        """
}

/// The lanes of a merged report: one per shard, each drawn from the merged run's start, since the shards ran side by
/// side. `nil` for a report that is no merge.
struct ShardLanes {
    /// The shards in the merge's order.
    var order: [String]
    /// Each shard's own length.
    var seconds: [String: TimeInterval]
    /// Each shard's start less the earliest start.
    var offsets: [String: TimeInterval]
    /// The shard that took longest (the merged run's time).
    var longest: String

    init?(_ report: RunReport) {
        guard let spans = report.shardSpans, !spans.isEmpty, let first = spans.compactMap(\.start).min() else {
            return nil
        }
        order = spans.map(\.shard)
        seconds = Dictionary(spans.compactMap { span in span.seconds.map { (span.shard, $0) } }) { a, _ in a }
        offsets = Dictionary(spans.compactMap { span in span.start.map { (span.shard, $0.timeIntervalSince(first)) } })
        {
            a,
            _ in a
        }
        longest = seconds.max { $0.value < $1.value }?.key ?? order[0]
    }

    /// The steps grouped by shard in the merge's order, each moved to start with the merged run.
    func arrange(_ steps: [HTMLReport.Step]) -> [HTMLReport.Step] {
        let rank = Dictionary(order.enumerated().map { ($1, $0) }) { a, _ in a }
        return steps.enumerated()
            .sorted {
                (rank[$0.element.lane ?? ""] ?? order.count, $0.offset) < (
                    rank[$1.element.lane ?? ""] ?? order.count, $1.offset
                )
            }
            .map { $0.element.shifted(by: -(offsets[$0.element.lane ?? ""] ?? 0)) }
    }
}
