import Foundation

/// Why a file of earlier results (`--timings`, `--rerun-failed`) cannot be used; `option` names the option.
package enum TimingsError: Error, CustomStringConvertible, Equatable {
    case missing(option: String, path: String)
    case unreadable(option: String, path: String)
    /// A JSON file that is no report of ours (or one of another version).
    case report(option: String, ReportReadError)
    case unknownFormat(option: String, path: String)

    package var description: String {
        switch self {
        case .missing(let option, let path): "\(option) '\(path)': no such file"
        case .unreadable(let option, let path): "\(option) '\(path)': cannot be read"
        case .report(let option, let error): "\(option): \(error)"
        case .unknownFormat(let option, let path): "\(option) '\(path)': neither a JSON report nor JUnit XML"
        }
    }
}

/// Step durations from earlier runs, for balancing shards: our JSON reports (each step's `startedAt` to
/// `completedAt`) or any JUnit XML (a testcase's `name` is the reference, its `time` the seconds). With several
/// files the newest (by modification time) wins for a step.
package enum TimingsFiles {
    package static func read(_ paths: [String]) throws(TimingsError) -> [String: Duration] {
        var dated: [(Date, String)] = []
        for path in paths {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
                throw TimingsError.missing(option: "--timings", path: path)
            }
            dated.append(((attributes[.modificationDate] as? Date) ?? .distantPast, path))
        }
        var timings: [String: Duration] = [:]
        for (_, path) in dated.sorted(by: { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }) {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw TimingsError.unreadable(option: "--timings", path: path)
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
                throw TimingsError.report(option: "--timings", error)
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
        throw TimingsError.unknownFormat(option: "--timings", path: path)
    }
}
