import AutomationsConfig
import AutomationsModel
import Foundation
import Testing

/// The fixtures corpus: every invalid file with its exact diagnostics, every valid file with its plans.
struct FixtureTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func names(in folder: String, extensions: [String]) -> [String] {
        let directory = fixtures.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { name in extensions.contains { name.hasSuffix(".\($0)") } }.sorted()
    }

    static let invalidFiles = names(in: "invalid", extensions: ["yaml", "json"])
    static let validFiles = names(in: "valid", extensions: ["yaml", "json"])

    @Test func corpusIsLargeEnough() {
        #expect(Self.invalidFiles.count >= 40)
        #expect(Self.validFiles.count >= 10)
    }

    @Test(arguments: invalidFiles)
    func invalidFileReportsExactDiagnostics(_ name: String) throws {
        let folder = Self.fixtures.appendingPathComponent("invalid")
        let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(name)))
        let expectedURL = folder.appendingPathComponent((name as NSString).deletingPathExtension + ".expected")
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
            .split(separator: "\n").map { "\(name):\($0)" }
        do {
            let file = try AutomationsConfigLoader.parse(bytes, displayPath: name)
            Issue.record("\(name) was accepted: \(file.services.count) services, \(file.tasks.count) tasks")
        } catch {
            #expect(error.diagnostics.map(\.description) == expected)
        }
    }

    @Test(arguments: validFiles)
    func validFileGivesExpectedPlans(_ name: String) throws {
        let folder = Self.fixtures.appendingPathComponent("valid")
        let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(name)))
        let file = try AutomationsConfigLoader.parse(bytes, displayPath: name)
        let plansURL = folder.appendingPathComponent((name as NSString).deletingPathExtension + ".plans")
        let lines = try String(contentsOf: plansURL, encoding: .utf8).split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            let parts = line.components(separatedBy: " => ")
            let selection = Self.selection(parts[0])
            let expected =
                parts[1].isEmpty
                ? [] : parts[1].components(separatedBy: " | ").map { $0.split(separator: " ").map(String.init) }
            let plan = try Planner.plan(file, selecting: selection)
            #expect(plan.groups.map { $0.map(\.reference) } == expected, "\(name): \(parts[0])")
        }
    }

    /// `*` is every task; other words are references, and `--trigger NAME` selects a trigger.
    static func selection(_ text: String) -> TargetSelection {
        if text == "*" { return .allTasks }
        var words = text.split(separator: " ").map(String.init)
        var trigger: Trigger?
        if let index = words.firstIndex(of: "--trigger") {
            trigger = Trigger(rawValue: words[index + 1])
            words.removeSubrange(index...index + 1)
        }
        return TargetSelection(references: words, trigger: trigger)
    }
}
