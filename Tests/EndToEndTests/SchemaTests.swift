import Foundation
import Testing

/// `automations schema`: what editors validate against accepts exactly what the loader accepts.
@Suite(.timeLimit(.minutes(2)))
struct SchemaTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test func theSchemaIsDraft07WithBothKeySpellings() async throws {
        let result = try await BinaryRunner.run(["schema"], in: NSTemporaryDirectory())
        #expect(result.status == 0)
        let schema = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        )
        #expect(schema["$schema"] as? String == "http://json-schema.org/draft-07/schema#")
        let task = try #require((schema["definitions"] as? [String: Any])?["task"] as? [String: Any])
        let properties = try #require(task["properties"] as? [String: Any])
        #expect(Set(properties.keys).isSuperset(of: ["dependsOn", "depends_on", "triggeredBy", "triggered_by"]))
        #expect(task["additionalProperties"] as? Bool == false)
    }

    /// The bundled example points editors at its schema file, which is what `automations schema` prints now.
    @Test func theExamplesSchemaFileIsCurrent() async throws {
        let folder = Self.root + "/examples/basic/.gitpod"
        let printed = try await BinaryRunner.run(["schema"], in: folder)
        let committed = try String(contentsOfFile: folder + "/automations.schema.json", encoding: .utf8)
        #expect(printed.stdout == committed, "run: automations schema > examples/basic/.gitpod/automations.schema.json")
        let example = try String(contentsOfFile: folder + "/automations.yaml", encoding: .utf8)
        #expect(example.hasPrefix("# yaml-language-server: $schema=./automations.schema.json\n"))
    }

    /// Every fixture and example through Python's jsonschema (PyPI) and through `validate`: they agree on every
    /// file but the listed rules a schema cannot express (scripts/check-schema.py).
    @Test func theSchemaAndTheLoaderAgreeOnEveryFixture() async throws {
        let python = Self.root + "/.build/python/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            Issue.record("jsonschema is needed to check the schema (scripts/setup installs it into .build/python)")
            return
        }
        let check = try await BinaryRunner.runProgram(
            "\(BinaryRunner.quote(python)) \(BinaryRunner.quote(Self.root + "/scripts/check-schema.py")) "
                + BinaryRunner.quote(BinaryRunner.executable)
        )
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("0 disagreements"), "\(check.stdout)")
        #expect(check.stdout.contains("5 listed exceptions"))
    }
}
