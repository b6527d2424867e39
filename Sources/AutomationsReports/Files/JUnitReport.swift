package import AutomationsModel
package import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The JUnit XML report (the shape of `../shared/junit/README.md`, valid against the Jenkins xunit junit-10
/// schema): suites `tasks` and `services`, one testcase per task step and per service.
package enum JUnitReport {
    /// The head and the tail of a log that `system-out` holds, each at most this many bytes.
    static let outputHalf = 16 * 1024
    /// How many log lines a failure body holds.
    static let failureLines = 50

    /// One testcase.
    package struct Case {
        package var name: String
        package var time: Duration
        /// `failure`, `error` or `skipped`, with its message and body.
        package var outcome: (element: String, type: String, message: String, body: String)?
        package var output: String?
        /// Warnings about the step (inner JUnit files that could not be read), as `system-err`.
        package var errorOutput: String?
        /// The class name; our own steps' is `automations.SUITE`.
        package var classname: String?
        /// `flakyFailure` (before a pass) or `rerunFailure` (before the final failure) entries, Maven Surefire's way.
        package var reruns: [(element: String, type: String, message: String, trace: String, output: String)] = []

        package init(name: String, time: Duration) {
            self.name = name
            self.time = time
        }

        /// The testcase of a step with this outcome, its `system-out` and failure body from the log at `logPath`
        /// (shown as `displayPath`) when there is one.
        package init(name: String, time: Duration, outcome: StepOutcome, logPath: String?, displayPath: String?) {
            self.init(name: name, time: time)
            let body = logPath.map { JUnitReport.failureBody(path: $0) } ?? ""
            if let logPath { output = JUnitReport.systemOut(path: logPath, display: displayPath ?? logPath) }
            switch outcome {
            case .passed: break
            case .skipped(let message): self.outcome = ("skipped", "not-run", message, "")
            case .failure(let type, let message): self.outcome = ("failure", type, message, body)
            case .error(let type, let message): self.outcome = ("error", type, message, body)
            }
        }
    }

    package static func xml(_ report: ExecutionReport, context: ReportContext) -> String {
        let services = Dictionary(report.services.map { ($0.reference, $0) }, uniquingKeysWith: { $1 })
        var tasks: [Case] = []
        var serviceCases: [Case] = []
        var inner: [(String, [Case])] = []
        for step in report.steps {
            let source = OutputSource(kind: step.step.kind, reference: step.step.reference)
            var item = testCase(step, service: services[step.step.reference], source: source, logs: context.logs)
            if let tests = context.innerTests[step.step.reference] {
                if !tests.warnings.isEmpty {
                    item.errorOutput = XMLText.escape(
                        tests.warnings.map { "warning: \($0)" }.joined(separator: "\n") + "\n"
                    )
                }
                inner += innerSuites(of: step.step.reference, tests, quarantine: context.quarantine)
            }
            if step.step.kind == .task { tasks.append(item) } else { serviceCases.append(item) }
        }
        var properties = [("file", context.file)]
        if let trigger = context.trigger { properties.append(("trigger", trigger)) }
        if !context.targets.isEmpty { properties.append(("targets", context.targets.joined(separator: " "))) }
        if let shard = context.shard { properties.append(("shard", shard)) }
        // A step served from the result cache: its testcase's system-out is the restored log, and its inner tests
        // are those of the run it reuses.
        for step in report.steps {
            guard let hit = step.cache else { continue }
            properties.append(("cached.\(step.step.reference)", "key \(hit.key.prefix(12)): \(hit.summary())"))
        }
        return document(
            tasks: tasks,
            services: serviceCases,
            inner: inner,
            properties: properties,
            startedAt: report.startedAt,
            completedAt: report.completedAt
        )
    }

    /// The suites of the tests a task ran, each named `REF/SUITE`, their testcases as the task's JUnit files had them.
    private static func innerSuites(
        of reference: String,
        _ tests: InnerTestResult,
        quarantine: Quarantine
    ) -> [(String, [Case])] {
        tests.suites.map { suite in
            let name = suite.name.isEmpty ? reference : "\(reference)/\(suite.name)"
            let cases = suite.cases.map { test -> Case in
                var item = Case(name: test.name, time: .nanoseconds(Int64(max(0, test.time) * 1e9)))
                item.classname = test.classname.isEmpty ? name : test.classname
                if let outcome = test.outcome,
                    outcome != "skipped",
                    let entry = quarantine.entries["\(reference)/\(suite.name)/\(test.name)"]
                {
                    // A quarantined inner test's failure is reported as such, not counted as a failure.
                    item.outcome = ("skipped", "skipped", "\(QuarantineNote(entry)): \(test.message)", "")
                } else if let outcome = test.outcome {
                    let body = outcome == "skipped" ? "" : XMLText.escape(Array(test.body.utf8))
                    item.outcome = (outcome, test.type.isEmpty ? outcome : test.type, test.message, body)
                }
                if !test.output.isEmpty { item.output = XMLText.escape(Array(test.output.utf8)) }
                return item
            }
            return (name, cases)
        }
    }

    /// The XML of suites `tasks` and `services` (each left out when empty) and the tasks' inner suites; `properties`
    /// go to the first suite.
    package static func document(
        tasks: [Case],
        services serviceCases: [Case],
        inner: [(String, [Case])] = [],
        properties: [(String, String)],
        startedAt: Date,
        completedAt: Date
    ) -> String {
        let timestamp = utcTimestamp(startedAt)
        let host = hostname()
        let suites = ([("tasks", tasks), ("services", serviceCases)] + inner).filter { !$0.1.isEmpty }
        let all = suites.flatMap(\.1)
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"automations\" tests=\"\(all.count)\" failures=\"\(count(all, "failure"))\""
        xml += " errors=\"\(count(all, "error"))\" time=\"\(seconds(completedAt.timeIntervalSince(startedAt)))\">\n"
        for (name, cases) in suites {
            let time = cases.reduce(Duration.zero) { $0 + $1.time }
            xml +=
                "  <testsuite name=\"\(XMLText.escape(name, singleLine: true))\" tests=\"\(cases.count)\" failures=\"\(count(cases, "failure"))\""
            xml += " errors=\"\(count(cases, "error"))\" skipped=\"\(count(cases, "skipped"))\""
            xml +=
                " time=\"\(DurationText.seconds(time))\" timestamp=\"\(timestamp)\" hostname=\"\(XMLText.escape(host))\">\n"
            // Once per report: xunitparser merges the properties of all suites and refuses a repeated name.
            if name == suites.first?.0 {
                xml += "    <properties>\n"
                for (key, value) in properties {
                    xml += "      <property name=\"\(key)\" value=\"\(XMLText.escape(value, singleLine: true))\"/>\n"
                }
                xml += "    </properties>\n"
            }
            for item in cases {
                let classname = item.classname ?? "automations.\(name)"
                xml += "    <testcase name=\"\(XMLText.escape(item.name, singleLine: true))\""
                xml += " classname=\"\(XMLText.escape(classname, singleLine: true))\""
                xml += " time=\"\(DurationText.seconds(item.time))\">\n"
                if let outcome = item.outcome {
                    xml += "      <\(outcome.element) message=\"\(XMLText.escape(outcome.message, singleLine: true))\""
                    // Surefire's schema allows no `type` on `skipped`.
                    if outcome.element != "skipped" { xml += " type=\"\(outcome.type)\"" }
                    xml += outcome.body.isEmpty ? "/>\n" : ">\(outcome.body)</\(outcome.element)>\n"
                }
                // After `failure` and before `system-out`, as the Surefire schema orders them.
                for rerun in item.reruns {
                    xml += "      <\(rerun.element) message=\"\(XMLText.escape(rerun.message, singleLine: true))\""
                    xml += " type=\"\(rerun.type)\"><stackTrace>\(rerun.trace)</stackTrace>"
                    xml += "<system-out>\(rerun.output)</system-out></\(rerun.element)>\n"
                }
                if let output = item.output {
                    xml += "      <system-out>\(output)</system-out>\n"
                }
                if let errorOutput = item.errorOutput {
                    xml += "      <system-err>\(errorOutput)</system-err>\n"
                }
                xml += "    </testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        return xml
    }

    private static func testCase(
        _ step: StepReport,
        service: ServiceReport?,
        source: OutputSource,
        logs: StepLogFiles
    ) -> Case {
        let hasLog = logs.exists(source)
        var item = Case(
            name: step.step.reference,
            time: step.duration ?? .zero,
            outcome: StepOutcome(step, service: service),
            logPath: hasLog ? logs.path(for: source) : nil,
            displayPath: hasLog ? logs.displayPath(for: source) : nil
        )
        let element = step.phase == .succeeded ? "flakyFailure" : "rerunFailure"
        item.reruns = step.failedAttempts.enumerated().map { index, attempt in
            let lastLines = attempt.output.split(separator: "\n", omittingEmptySubsequences: false).suffix(failureLines)
            return (
                element,
                "exit-status",
                "attempt \(index + 1): \(attempt.failure.description)",
                XMLText.escape(Array(lastLines.joined(separator: "\n").utf8)),
                XMLText.escape(Array(attempt.output.utf8))
            )
        }
        return item
    }

    /// The head and tail of the log, what was cut, and an attachment line pointing at the full log.
    static func systemOut(path: String, display: String) -> String {
        let bytes = LogTail.read(path: path, limit: 2 * outputHalf)
        var text = XMLText.escape(bytes)
        if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
        return text + "[[ATTACHMENT|\(XMLText.escape(display))]]\n"
    }

    static func failureBody(path: String) -> String {
        XMLText.escape(LogTail.lastLines(path: path, lines: failureLines))
    }

    private static func count(_ cases: [Case], _ element: String) -> Int {
        cases.filter { $0.outcome?.element == element }.count
    }

    private static func seconds(_ interval: TimeInterval) -> String {
        DurationText.seconds(.nanoseconds(Int64(max(0, interval) * 1e9)))
    }

    /// `YYYY-MM-DDTHH:MM:SS` in UTC, as the schema's consumers expect.
    static func utcTimestamp(_ date: Date) -> String {
        var time = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d",
            parts.tm_year + 1900,
            parts.tm_mon + 1,
            parts.tm_mday,
            parts.tm_hour,
            parts.tm_min,
            parts.tm_sec
        )
    }

    private static func hostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
