import CAutomationsXML
import Foundation

/// Why a JUnit file cannot be imported.
package enum JUnitImportError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String)
    case tooLarge(path: String, limit: Int)
    /// A DOCTYPE: entities (external files, entity bombs) are never read.
    case documentType(path: String)
    case malformed(path: String, reason: String)
    case notJUnit(path: String)

    package var description: String {
        switch self {
        case .unreadable(let path): "\(path): cannot be read"
        case .tooLarge(let path, let limit): "\(path): larger than \(limit / 1_048_576) MiB; refused"
        case .documentType(let path):
            "\(path): has a DOCTYPE; entity declarations (external files, entity expansion) are refused"
        case .malformed(let path, let reason): "\(path): not well-formed XML: \(reason)"
        case .notJUnit(let path): "\(path): no <testsuites> or <testsuite> root: not a JUnit report"
        }
    }
}

/// Reads the test cases of a JUnit XML file written by any tool (pytest, jest, go, Surefire, ours) with libxml2's
/// streaming reader: no network, no entity expansion, no DOCTYPE at all, libxml2's own limits on depth and text, and
/// a bound on the file's size. Memory stays flat whatever the number of test cases.
package enum JUnitImport {
    package static let sizeLimit = 1 << 30

    package struct TestCase: Sendable, Equatable {
        package var suite: String
        package var name: String
        package var seconds: Double
        /// `passed`, `failed`, `error`, `skipped`.
        package var result: String

        package init(suite: String, name: String, seconds: Double, result: String) {
            self.suite = suite
            self.name = name
            self.seconds = seconds
            self.result = result
        }
    }

    private final class Collector {
        var cases: [TestCase] = []
    }

    package static func read(path: String) throws(JUnitImportError) -> [TestCase] {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let size = attributes[.size] as? Int
        else { throw .unreadable(path: path) }
        guard size <= sizeLimit else { throw .tooLarge(path: path, limit: sizeLimit) }
        // Refused before libxml2 reads anything: a DOCTYPE is where entities (external files, bombs) are declared.
        if let handle = FileHandle(forReadingAtPath: path) {
            let head = handle.readData(ofLength: 64 * 1024)
            try? handle.close()
            if String(decoding: head, as: UTF8.self).range(of: "<!DOCTYPE", options: .caseInsensitive) != nil {
                throw .documentType(path: path)
            }
        }
        let collector = Collector()
        var error = [CChar](repeating: 0, count: 512)
        let status = withExtendedLifetime(collector) {
            automations_junit_read(
                path,
                { testCase, context in
                    guard let testCase, let context else { return }
                    let collector = Unmanaged<Collector>.fromOpaque(context).takeUnretainedValue()
                    let results = ["passed", "failed", "error", "skipped"]
                    collector.cases.append(
                        TestCase(
                            suite: String(cString: testCase.pointee.suite),
                            name: String(cString: testCase.pointee.name),
                            seconds: testCase.pointee.seconds,
                            result: results[Int(max(0, min(3, testCase.pointee.result)))]
                        )
                    )
                },
                Unmanaged.passUnretained(collector).toOpaque(),
                &error,
                error.count
            )
        }
        switch status {
        case 0: return collector.cases
        case 2: throw .documentType(path: path)
        case 3:
            throw .malformed(
                path: path,
                reason: String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            )
        case 4: throw .notJUnit(path: path)
        default: throw .unreadable(path: path)
        }
    }
}
