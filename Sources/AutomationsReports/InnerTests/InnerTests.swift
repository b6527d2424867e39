package import AutomationsModel
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The tests a task ran, read from the JUnit files it wrote (`--collect-junit REF=GLOB`).
package struct InnerTestResult: Sendable {
    /// The files read, as matched.
    package var files: [String] = []
    /// What could not be read (a missing, empty or malformed file): said on the console and on the task's testcase.
    package var warnings: [String] = []
    /// The inner suites in the order they appeared, each with its testcases.
    package var suites: [(name: String, cases: [InnerTestCase])] = []

    package var tests: Int { suites.reduce(0) { $0 + $1.cases.count } }
    package func count(_ outcome: String) -> Int {
        suites.reduce(0) { $0 + $1.cases.filter { $0.outcome == outcome }.count }
    }
}

package enum InnerTests {
    /// For each `REF=GLOB`: the files matching GLOB (relative to `directory`) that changed since task REF started,
    /// read. A task that did not run is left out.
    package static func collect(
        _ specs: [(reference: String, glob: String)],
        report: ExecutionReport,
        directory: String
    ) -> [String: InnerTestResult] {
        var results: [String: InnerTestResult] = [:]
        let started = Dictionary(
            report.steps.compactMap { step in step.startedAt.map { (step.step.reference, $0) } },
            uniquingKeysWith: { first, _ in first }
        )
        for (reference, pattern) in specs {
            guard let start = started[reference] else { continue }
            var result = results[reference] ?? InnerTestResult()
            let matches = glob(pattern, in: directory)
            // Files from an earlier run are not this run's tests (a second of slack for coarse file times).
            let fresh = matches.filter {
                modificationDate(of: $0.absolute).map { $0 >= start.addingTimeInterval(-1) } ?? false
            }
            if fresh.isEmpty {
                result.warnings.append(
                    matches.isEmpty
                        ? "no JUnit file matches '\(pattern)' (the task may have failed before writing it)"
                        : "the JUnit files matching '\(pattern)' are older than this run of the task"
                )
            }
            for file in fresh {
                var suites: [(name: String, cases: [InnerTestCase])] = []
                do {
                    try JUnitFileReader.read(path: file.absolute) { test in
                        if suites.last?.name == test.suite {
                            suites[suites.count - 1].cases.append(test)
                        } else if let index = suites.firstIndex(where: { $0.name == test.suite }) {
                            suites[index].cases.append(test)
                        } else {
                            suites.append((test.suite, [test]))
                        }
                    }
                    result.files.append(file.shown)
                    for suite in suites {
                        if let index = result.suites.firstIndex(where: { $0.name == suite.name }) {
                            result.suites[index].cases += suite.cases
                        } else {
                            result.suites.append(suite)
                        }
                    }
                } catch {
                    let size = (try? FileManager.default.attributesOfItem(atPath: file.absolute))?[.size] as? Int
                    result.warnings.append(
                        size == 0
                            ? "\(file.shown) is empty" : "\(file.shown) is not readable JUnit XML: \(error.description)"
                    )
                }
            }
            results[reference] = result
        }
        return results
    }

    /// The files matching a shell pattern, relative to `directory` (or absolute), sorted.
    static func glob(_ pattern: String, in directory: String) -> [(absolute: String, shown: String)] {
        let absolute = pattern.hasPrefix("/") ? pattern : directory + "/" + pattern
        var found = glob_t()
        defer { globfree(&found) }
        guard systemGlob(absolute, &found) == 0 else { return [] }
        var paths: [(String, String)] = []
        for index in 0..<Int(found.gl_pathc) {
            guard let pointer = found.gl_pathv[index] else { continue }
            let path = String(cString: pointer)
            let shown = path.hasPrefix(directory + "/") ? String(path.dropFirst(directory.count + 1)) : path
            paths.append((path, shown))
        }
        return paths.sorted { $0.0 < $1.0 }
    }

    private static func modificationDate(of path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}

/// The C library's `glob(3)`, which the type's own `glob` hides.
private func systemGlob(_ pattern: String, _ found: inout glob_t) -> Int32 {
    glob(pattern, 0, nil, &found)
}
