import Foundation

/// `--rerun-failed PATH`: the tasks that failed or did not run in an earlier run, from its JSON report (phase FAILED,
/// STOPPED or PENDING) or its JUnit XML (a task testcase with `failure`, `error` or `skipped`).
package enum RerunSelection {
    package static func tasks(in path: String) throws(TimingsError) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TimingsError.unreadable(option: "--rerun-failed", path: path)
        }
        let start = String(decoding: data.prefix(64), as: UTF8.self).drop { $0.isWhitespace }
        if start.hasPrefix("{") {
            let report: RunReport
            do {
                report = try RunReport.decode(data, path: path)
            } catch {
                throw TimingsError.report(option: "--rerun-failed", error)
            }
            let rerun: Set<String> = [
                "TASK_EXECUTION_PHASE_FAILED", "TASK_EXECUTION_PHASE_STOPPED", "TASK_EXECUTION_PHASE_PENDING",
            ]
            return report.steps.filter { $0.isTask && rerun.contains($0.phase) }.map(\.reference)
        }
        if start.hasPrefix("<") {
            // Task testcases that did not pass (our JUnit's class is `automations.tasks`).
            var found: [String] = []
            try? JUnitFileReader.read(path: path) { test in
                let isTask = test.classname.isEmpty || test.classname.hasSuffix("tasks")
                if isTask, test.outcome != nil { found.append(test.name) }
            }
            return found
        }
        throw TimingsError.unknownFormat(option: "--rerun-failed", path: path)
    }
}
