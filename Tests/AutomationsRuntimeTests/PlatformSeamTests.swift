import Foundation
import Testing

@testable import AutomationsRuntime

/// The platform seam holds every Linux-only call: the rest of the sources name none, and every `import Glibc` has
/// its Darwin branch.
struct PlatformSeamTests {
    /// The folders of the seam: the Swift half and the C half.
    private static let seam = ["Sources/AutomationsRuntime/Platform/", "Sources/CAutomationsSystem/"]
    /// What only Linux has.
    private static let linuxOnly = ["epoll", "pidfd", "eventfd", "signalfd", "/proc/", "clone", "prctl"]

    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Every source file below `Sources/`, by its path relative to the package root.
    private static func sourceFiles() throws -> [(path: String, text: String)] {
        let sources = root.appendingPathComponent("Sources")
        let enumerator = try #require(FileManager.default.enumerator(atPath: sources.path))
        var files: [(String, String)] = []
        while let relative = enumerator.nextObject() as? String {
            guard [".swift", ".c", ".h"].contains(where: relative.hasSuffix) else { continue }
            let text = try String(contentsOf: sources.appendingPathComponent(relative), encoding: .utf8)
            files.append(("Sources/" + relative, text))
        }
        return files
    }

    @Test func noLinuxOnlyCallOutsideTheSeam() throws {
        let files = try Self.sourceFiles()
        #expect(files.count > 100)
        var found: [String] = []
        for (path, text) in files where !Self.seam.contains(where: path.hasPrefix) {
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                for word in Self.linuxOnly where line.contains(word) {
                    found.append("\(path):\(number + 1): \(word)")
                }
            }
        }
        #expect(found.isEmpty, "Linux-only calls outside the platform seam:\n\(found.joined(separator: "\n"))")
    }

    @Test func theGrepFindsWhatTheSeamHolds() throws {
        // The check above would pass on an empty tree: the seam itself must show every word it looks for.
        let seamText = try Self.sourceFiles().filter { file in Self.seam.contains(where: file.path.hasPrefix) }
            .map(\.text).joined()
        for word in Self.linuxOnly {
            #expect(seamText.contains(word), "the seam names no '\(word)'")
        }
    }

    /// CI runs the suites again under a seccomp filter and on the POSIX backend, and says which mechanisms that
    /// must give (`backend/exits`, for example `linux/childSignal`): a filter that did not apply fails here.
    private static let expected = ProcessInfo.processInfo.environment["AUTOMATIONS_EXPECTED_BACKEND"]

    @Test(.enabled(if: expected != nil, "AUTOMATIONS_EXPECTED_BACKEND is not set"))
    func theMechanismsAreTheOnesAskedFor() throws {
        let chosen =
            "\(Platform.backend.rawValue)/\(Platform.exitWatch == .processDescriptor ? "processDescriptor" : "childSignal")"
        #expect(chosen == Self.expected, "\(Platform.description)")
    }

    @Test func everyGlibcImportHasItsDarwinBranch() throws {
        let glibc = "#if canImport(Glibc)\nimport Glibc\n"
        let branched = glibc + "#elseif canImport(Darwin)\nimport Darwin\n#endif"
        var missing: [String] = []
        for (path, source) in try Self.sourceFiles() where path.hasSuffix(".swift") && source.contains("import Glibc") {
            // `package import` (a module whose API shows C types) counts as an import.
            let text = source.replacingOccurrences(of: "package import ", with: "import ")
            // Files compiled for Linux alone (inside `#if os(Linux)`) need no Darwin branch.
            if text.hasPrefix("#if os(Linux)") { continue }
            if text.components(separatedBy: glibc).count != text.components(separatedBy: branched).count
                || !text.contains(glibc)
            {
                missing.append(path)
            }
        }
        #expect(missing.isEmpty, "import Glibc without a Darwin branch: \(missing)")
    }
}
