import Foundation
import Testing

/// The executable only parses arguments and prints; the run lives in `AutomationsRun`, in functions short enough to
/// read at once.
struct ArchitectureTests {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The Swift files below `folder` (relative to the package root), with their text.
    private static func swiftFiles(in folder: String) throws -> [(path: String, text: String)] {
        let base = root.appendingPathComponent(folder)
        let enumerator = try #require(FileManager.default.enumerator(atPath: base.path))
        var files: [(String, String)] = []
        while let relative = enumerator.nextObject() as? String {
            guard relative.hasSuffix(".swift") else { continue }
            files.append(
                (
                    folder + "/" + relative,
                    try String(contentsOf: base.appendingPathComponent(relative), encoding: .utf8)
                )
            )
        }
        return files
    }

    /// What belongs to the run, not to argument parsing and printing.
    private static let runMachinery = [
        "import AutomationsRuntime", "import AutomationsAPI", "import AutomationsServer", "import CAutomationsSystem",
        "ProcessRuntime", "RunWatchdog", "PlanExecutor", "kill(", "signal(SIG", "SIG_IGN", "sigaction", "socket(",
        "usleep",
        "Task.sleep", "AtomicFile", "JUnitReport.", "HTMLReport.", "JSONReport.", ".call(",
    ]

    @Test func theExecutableHoldsNoProcessSignalSocketOrReportLogic() throws {
        let files = try Self.swiftFiles(in: "Sources/automations")
        #expect(files.count > 20)
        var found: [String] = []
        for (path, text) in files {
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                for word in Self.runMachinery where line.contains(word) {
                    found.append("\(path):\(number + 1): \(word)")
                }
            }
        }
        #expect(found.isEmpty, "the executable runs things itself:\n\(found.joined(separator: "\n"))")
    }

    @Test func noFunctionOfTheRunIsLongerThan60Lines() throws {
        let files = try Self.swiftFiles(in: "Sources/AutomationsRun")
        #expect(files.count > 15)
        var long: [String] = []
        var measured = 0
        for (path, text) in files {
            for function in Self.functions(in: text) {
                measured += 1
                if function.lines > 60 { long.append("\(path):\(function.line): \(function.lines) lines") }
            }
        }
        #expect(measured > 50, "the measure found only \(measured) functions")
        #expect(long.isEmpty, "functions over 60 lines:\n\(long.joined(separator: "\n"))")
    }

    @Test func theMeasureSeesALongFunction() {
        let body = (0..<70).map { "        print(\($0))" }.joined(separator: "\n")
        let text = "enum E {\n    static func long() {\n\(body)\n    }\n}\n"
        #expect(Self.functions(in: text).map(\.lines) == [72])
    }

    /// Each `func` or `init` with a body, by the line it starts on and its length to its closing brace (formatted
    /// code: the brace closes at the declaration's indentation).
    private static func functions(in text: String) -> [(line: Int, lines: Int)] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var found: [(Int, Int)] = []
        for (index, line) in lines.enumerated() {
            let trimmed = line.drop { $0 == " " }
            let words = trimmed.split(separator: " ")
            guard
                let position = words.firstIndex(where: {
                    $0 == "func" || $0.hasPrefix("init(") || $0.hasPrefix("init<")
                }),
                words[..<position].allSatisfy({
                    [
                        "package", "public", "private", "fileprivate", "static", "mutating", "override", "nonisolated",
                        "@discardableResult",
                    ].contains(String($0)) || $0.hasPrefix("@")
                })
            else { continue }
            let indent = String(repeating: " ", count: line.count - trimmed.count)
            guard let end = lines[index...].firstIndex(where: { $0 == indent + "}" || $0.hasPrefix(indent + "} ") })
            else {
                continue
            }
            found.append((index + 1, end - index + 1))
        }
        return found
    }
}
