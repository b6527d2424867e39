import AutomationsConfig
import AutomationsModel
import Foundation
import Testing

/// The warnings (AU001…AU007): each rule on its fixture with exact positions, and no warning on a good file.
@Suite(.timeLimit(.minutes(1)))
struct WarningTests {
    static let warningFiles = FixtureTests.names(in: "warnings", extensions: ["yaml"])

    /// A fixture's warnings, as `validate` finds them (its first line may say `# validate: --trigger NAME`).
    static func warnings(of name: String, in folder: String) throws -> [Diagnostic] {
        let bytes = try [UInt8](Data(contentsOf: FixtureTests.fixtures.appendingPathComponent(folder + "/" + name)))
        let checked = AutomationsConfigLoader.check(bytes, displayPath: name)
        let firstLine = String(decoding: bytes.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        guard firstLine.hasPrefix("# validate: --trigger "), checked.errors.isEmpty,
            let trigger = Trigger(rawValue: String(firstLine.dropFirst("# validate: --trigger ".count)))
        else { return checked.warnings }
        let unreachable = AutomationsConfigLoader.unreachableWarnings(
            in: checked.file,
            displayPath: name,
            trigger: trigger
        )
        return (checked.warnings + unreachable).sortedByPosition()
    }

    @Test func everyRuleHasAFixture() throws {
        var fired: Set<String> = []
        for name in Self.warningFiles {
            for warning in try Self.warnings(of: name, in: "warnings") { fired.insert(warning.code ?? "") }
        }
        // AU008 is about the runner file, not the automations file: checked by its own test.
        #expect(fired == Set(WarningRule.allCases.filter { $0 != .quarantineExpired }.map(\.code)))
    }

    @Test(arguments: warningFiles)
    func fixtureGetsExactlyItsWarnings(_ name: String) throws {
        let expectedURL = FixtureTests.fixtures.appendingPathComponent(
            "warnings/" + (name as NSString).deletingPathExtension + ".expected"
        )
        let expected = try String(contentsOf: expectedURL, encoding: .utf8).split(separator: "\n").map {
            "\(name):\($0)"
        }
        let warnings = try Self.warnings(of: name, in: "warnings")
        #expect(warnings.map(\.description) == expected)
        #expect(warnings.allSatisfy { $0.severity == .warning && $0.location != nil })
    }

    @Test(arguments: FixtureTests.validFiles)
    func validFixturesHaveNoWarnings(_ name: String) throws {
        #expect(try Self.warnings(of: name, in: "valid").map(\.description) == [])
    }

    /// Warnings are found in what could be read of a file with errors, and come after them.
    @Test func aFileWithErrorsStillGetsItsWarnings() throws {
        let text = """
            tasks:
              a: {name: A, command: "cd /workspace/app && make", dependsOn: [missing]}
            """
        let checked = AutomationsConfigLoader.check(Array(text.utf8), displayPath: "f.yaml")
        #expect(
            checked.errors.map(\.description) == [
                "f.yaml:2:66: error: task 'a' depends on unknown task or service 'missing'"
            ]
        )
        #expect(checked.warnings.map(\.code) == ["AU002"])
    }

    /// The scan ends on any text: every prefix of commands full of quotes, brackets and separators.
    @Test func theScanEndsOnAnyCommand() throws {
        let awkward = [
            #"for i in {1..3}; do (echo "$i" | sed 's/)/(/') & done; wait"#,
            "a && b || c |& d ;; e ) } ] > >> < <( $( ` \\ \" ' # !x ! ",
            "gitpod automations service start 'a\"b' --x=) db & sleep 1s;sleep\tinfinity\nsleep 2m # &",
            "/workspace/workspaces//workspace ~/workspace $x/workspace \\/workspace",
        ]
        var services = ""
        for (index, command) in awkward.enumerated() {
            for end in command.indices.dropFirst() + [command.endIndex] {
                let escaped = String(command[..<end]).replacingOccurrences(of: "\\", with: "\\\\")
                    .replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
                    .replacingOccurrences(of: "\t", with: "\\t")
                let value = "\"\(escaped)\""
                services += "  s\(index)-\(services.count): {name: S, commands: {start: \(value), ready: \(value)}}\n"
            }
        }
        let checked = AutomationsConfigLoader.check(Array(("services:\n" + services).utf8), displayPath: "f.yaml")
        #expect(checked.errors.isEmpty, "\(checked.errors.prefix(3))")
        #expect(!checked.warnings.isEmpty)
    }
}
