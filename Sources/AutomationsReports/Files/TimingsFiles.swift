import Foundation

/// Why a timings file cannot be used.
package struct TimingsError: Error, CustomStringConvertible {
    package var description: String
}

/// Step durations from earlier runs, for balancing shards: our JSON reports (each step's `startedAt` to
/// `completedAt`) or any JUnit XML (a testcase's `name` is the reference, its `time` the seconds). With several
/// files the newest (by modification time) wins for a step.
package enum TimingsFiles {
    package static func read(_ paths: [String]) throws(TimingsError) -> [String: Duration] {
        var dated: [(Date, String)] = []
        for path in paths {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
                throw TimingsError(description: "--timings '\(path)': no such file")
            }
            dated.append(((attributes[.modificationDate] as? Date) ?? .distantPast, path))
        }
        var timings: [String: Duration] = [:]
        for (_, path) in dated.sorted(by: { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }) {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw TimingsError(description: "--timings '\(path)': cannot be read")
            }
            let figures = try figures(in: data, path: path)
            timings.merge(figures) { $1 }
        }
        return timings
    }

    private static func figures(in data: Data, path: String) throws(TimingsError) -> [String: Duration] {
        let text = String(decoding: data.prefix(64), as: UTF8.self).drop { $0.isWhitespace }
        if text.hasPrefix("{") {
            let report: RunReport
            do {
                report = try RunReport.decode(data, path: path)
            } catch {
                throw TimingsError(description: "--timings: \(error)")
            }
            var figures: [String: Duration] = [:]
            for step in report.steps {
                if let duration = step.duration { figures[step.reference] = duration }
            }
            return figures
        }
        if text.hasPrefix("<") {
            var figures: [String: Duration] = [:]
            // What a malformed file held before the fault still counts.
            try? JUnitFileReader.read(path: path) { test in
                figures[test.name] = .nanoseconds(Int64(test.time * 1e9))
            }
            return figures
        }
        throw TimingsError(description: "--timings '\(path)': neither a JSON report nor JUnit XML")
    }
}
