import Foundation

/// `--rerun-failed PATH`: the tasks that failed or did not run in an earlier run, from its JSON report (phase FAILED,
/// STOPPED or PENDING) or its JUnit XML (a task testcase with `failure`, `error` or `skipped`).
package enum RerunSelection {
    package static func tasks(in path: String) throws(TimingsError) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TimingsError(description: "--rerun-failed '\(path)': cannot be read")
        }
        let start = String(decoding: data.prefix(64), as: UTF8.self).drop { $0.isWhitespace }
        if start.hasPrefix("{") {
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let steps = object["steps"] as? [[String: Any]]
            else {
                throw TimingsError(description: "--rerun-failed '\(path)': not a JSON report of automations")
            }
            let rerun: Set<String> = [
                "TASK_EXECUTION_PHASE_FAILED", "TASK_EXECUTION_PHASE_STOPPED", "TASK_EXECUTION_PHASE_PENDING",
            ]
            return steps.filter { $0["kind"] as? String == "task" && rerun.contains($0["phase"] as? String ?? "") }
                .compactMap { $0["reference"] as? String }
        }
        if start.hasPrefix("<") {
            return junitTasks(String(decoding: data, as: UTF8.self))
        }
        throw TimingsError(description: "--rerun-failed '\(path)': neither a JSON report nor JUnit XML")
    }

    private static func junitTasks(_ xml: String) -> [String] {
        var found: [String] = []
        var rest = xml[...]
        while let start = rest.range(of: "<testcase") {
            guard let headEnd = rest[start.upperBound...].firstIndex(of: ">") else { break }
            let head = rest[start.upperBound..<headEnd]
            let selfClosing = head.hasSuffix("/")
            var body: Substring = ""
            var next = rest.index(after: headEnd)
            if !selfClosing, let close = rest[next...].range(of: "</testcase>") {
                body = rest[next..<close.lowerBound]
                next = close.upperBound
            }
            let isTask = attribute("classname", in: head).map { $0.hasSuffix("tasks") } ?? true
            let notPassed = body.contains("<failure") || body.contains("<error") || body.contains("<skipped")
            if isTask, notPassed, let name = attribute("name", in: head) { found.append(name) }
            rest = rest[next...]
        }
        return found
    }

    private static func attribute(_ name: String, in tag: Substring) -> String? {
        guard let range = tag.range(of: " \(name)=\"") else { return nil }
        let value = tag[range.upperBound...]
        return value.firstIndex(of: "\"").map { String(value[..<$0]) }
    }
}
