package import AutomationsReports
package import AutomationsRuntime

/// `automations merge` and `automations report`: earlier runs' JSON reports read, merged and written again.
package enum ReportFileCommands {
    /// Why the reports could not be merged or written.
    package enum Failure: Error, CustomStringConvertible {
        /// A report that cannot be read or does not fit the others (exit 2).
        case invalidInput(String)
        /// A report that cannot be written (exit 1).
        case cannotWrite(path: String, error: FileWriteError)

        package var description: String {
            switch self {
            case .invalidInput(let message): message
            case .cannotWrite(let path, let error): "cannot write '\(path)': \(error)"
            }
        }
    }

    /// Reads each JSON report, in order.
    package static func read(_ paths: [String]) throws(Failure) -> [ReportMerge.Input] {
        var decoded: [ReportMerge.Input] = []
        for path in paths {
            do {
                decoded.append((path, try RunReport.read(path)))
            } catch {
                throw .invalidInput(error.description)
            }
        }
        return decoded
    }

    /// Merges the shards' reports and writes the merged JUnit and JSON reports asked for.
    package static func merge(
        _ paths: [String],
        junit: String?,
        json: String?,
        allowingMissingShards: Bool
    ) throws(Failure) -> ReportMerge.Merged {
        let inputs = try read(paths)
        let merged: ReportMerge.Merged
        do {
            merged = try ReportMerge.merge(inputs, allowingMissingShards: allowingMissingShards)
        } catch {
            throw .invalidInput(error.description)
        }
        if let junit { try write(merged.junit, to: junit) }
        if let json { try write(merged.report.fileText, to: json) }
        return merged
    }

    /// Draws the HTML report of one run, or of several shards merged.
    package static func renderHTML(of paths: [String], to html: String) throws(Failure) {
        let decoded = try read(paths)
        var report = decoded[0].report
        if decoded.count > 1 {
            do {
                report = try ReportMerge.merge(decoded).report
            } catch {
                throw .invalidInput(error.description)
            }
        }
        try write(HTMLReport.html(report), to: html)
    }

    private static func write(_ text: String, to path: String) throws(Failure) {
        do {
            try AtomicFile.createFolder(containing: path)
            try AtomicFile.write(text, to: path)
        } catch {
            throw .cannotWrite(path: path, error: error)
        }
    }
}
