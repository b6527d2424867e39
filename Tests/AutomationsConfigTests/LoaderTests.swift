import AutomationsConfig
import AutomationsModel
import AutomationsTestSupport
import Foundation
import Testing

struct LoaderTests {
    private func diagnostics(_ bytes: [UInt8]) -> [String] {
        do {
            _ = try AutomationsConfigLoader.parse(bytes, displayPath: "f.yaml")
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test func invalidUTF8IsReportedWithItsPosition() {
        let bytes = Array("tasks:\n  a:\n    name: caf".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        #expect(
            diagnostics(bytes) == [
                "f.yaml:3:14: error: the file is not valid UTF-8 (byte 0xC3); an automations file is YAML or JSON text"
            ]
        )
    }

    @Test func nulBytesAreReportedNotCrashed() {
        let bytes = Array("tasks:\n  a:\n    name: x".utf8) + [0, 0, 0] + Array("\n".utf8)
        #expect(
            diagnostics(bytes) == [
                "f.yaml:3:12: error: the file cannot be read as YAML: control characters are not allowed"
            ]
        )
    }

    @Test func randomBinaryDataGetsOneErrorWithAPosition() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let bytes = (0..<512).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let found = diagnostics(bytes)
            #expect(found.count == 1)
            #expect(found.first?.hasPrefix("f.yaml:") == true)
        }
    }

    @Test func emptyAndEmptyMappingAreValid() throws {
        for text in ["", "{}", "---\n", "# comment\n", "services:\ntasks:\n"] {
            let file = try AutomationsConfigLoader.parse(Array(text.utf8), displayPath: "f.yaml")
            #expect(file.services.isEmpty && file.tasks.isEmpty)
        }
    }

    @Test func fieldsAreRead() throws {
        let text = """
            services:
              db:
                name: Database
                description: The store
                triggeredBy: [postEnvironmentStart]
                commands: {start: redis-server, ready: redis-cli ping, stop: redis-cli shutdown}
                readinessTimeout: 2.5s
                role: ai-agent
                runsOn: {docker: {image: redis:7, environment: [A=1]}}
            tasks:
              seed:
                name: Seed
                command: ./seed
                dependsOn: [db]
                triggeredBy: [manual, prebuild]
                prebuildRequiresSuccess: true
            """
        let file = try AutomationsConfigLoader.parse(Array(text.utf8), displayPath: "f.yaml")
        let service = try #require(file.service("db"))
        #expect(service.name == "Database")
        #expect(service.description == "The store")
        #expect(service.triggeredBy == [.postEnvironmentStart])
        #expect(service.commands == .init(start: "redis-server", ready: "redis-cli ping", stop: "redis-cli shutdown"))
        #expect(service.readinessTimeout == .milliseconds(2500))
        #expect(service.role == .aiAgent)
        #expect(service.runsOn == .docker(image: "redis:7", environment: ["A=1"]))
        #expect(service.location == SourceLocation(file: "f.yaml", line: 2, column: 3))
        let task = try #require(file.task("seed"))
        #expect(task.command == "./seed")
        #expect(task.dependsOn == ["db"])
        #expect(task.triggeredBy == [.manual, .prebuild])
        #expect(task.prebuildRequiresSuccess)
        #expect(task.runsOn == .machine)
    }

    @Test func discoveryWalksUpAndPrefersGitpodOverOna() throws {
        let root = URL(fileURLWithPath: try TestEnvironment.directory())
        defer { try? FileManager.default.removeItem(at: root) }
        let nested = root.appendingPathComponent("a/b/c")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent(".ona"),
            withIntermediateDirectories: true
        )
        try "tasks: {}\n".write(
            to: root.appendingPathComponent(".ona/automations.yml"),
            atomically: false,
            encoding: .utf8
        )
        #expect(
            AutomationsFileLocator.locate(from: nested.path) == root.appendingPathComponent(".ona/automations.yml").path
        )
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent(".gitpod"),
            withIntermediateDirectories: true
        )
        try "tasks: {}\n".write(
            to: root.appendingPathComponent(".gitpod/automations.yaml"),
            atomically: false,
            encoding: .utf8
        )
        let loaded = try AutomationsConfigLoader.load(path: nil, workingDirectory: nested.path)
        #expect(loaded.displayPath == root.appendingPathComponent(".gitpod/automations.yaml").path)
        #expect(loaded.rootDirectory == root.path)
    }

    @Test func fileOutsideAGitpodFolderRunsInItsOwnFolder() throws {
        let root = URL(fileURLWithPath: try TestEnvironment.directory())
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("ci"),
            withIntermediateDirectories: true
        )
        try "{}".write(to: root.appendingPathComponent("ci/auto.yaml"), atomically: false, encoding: .utf8)
        let loaded = try AutomationsConfigLoader.load(path: "ci/auto.yaml", workingDirectory: root.path)
        #expect(loaded.displayPath == "ci/auto.yaml")
        #expect(loaded.rootDirectory == root.appendingPathComponent("ci").path)
    }

    @Test func unreadablePathsAreClearErrors() {
        func message(_ path: String) -> String? {
            do {
                _ = try AutomationsConfigLoader.load(path: path, workingDirectory: "/")
                return nil
            } catch {
                return error.diagnostics.first?.description
            }
        }
        #expect(message("")?.contains("the file path is empty") == true)
        #expect(message("/proc")?.contains("'/proc' is a directory") == true)
        #expect(message("/definitely/missing.yaml")?.contains("No such file or directory") == true)
        #expect(message("/dev/null")?.contains("is not a regular file") == true)
    }
}
