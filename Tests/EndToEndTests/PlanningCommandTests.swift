import AutomationsTestSupport
import Foundation
import Testing

/// `validate`, `list` and `plan` run as a user would: the built binary, a project directory, exit statuses.
struct PlanningCommandTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A project folder with `.gitpod/automations.yaml` holding `text`, and a subfolder to run from.
    private func project(_ text: String) throws -> URL {
        let root = URL(fileURLWithPath: try TestEnvironment.directory())
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent(".gitpod"),
            withIntermediateDirectories: true
        )
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("src/deep"),
            withIntermediateDirectories: true
        )
        try text.write(to: root.appendingPathComponent(".gitpod/automations.yaml"), atomically: false, encoding: .utf8)
        return root
    }

    static let sample = """
        services:
          db:
            name: Database
            triggeredBy: [postEnvironmentStart]
            commands: {start: sleep 60}
        tasks:
          build:
            name: Build
            command: make
          test:
            name: Test
            command: make test
            dependsOn: [build, db]
        """

    @Test func validateFindsTheFileFromASubdirectory() async throws {
        let root = try project(Self.sample)
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try await BinaryRunner.run(["validate"], in: root.appendingPathComponent("src/deep").path)
        #expect(result.status == 0)
        #expect(result.stdout == "ok: 1 service, 2 tasks\n")
    }

    @Test func validateReportsEveryProblemAndExits2() async throws {
        let root = try project(
            "tasks:\n  build:\n    name: Build\n    comand: make\n  test:\n    name: T\n    command: x\n    dependsOn: [buld]\n"
        )
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try await BinaryRunner.run(["validate"], in: root.path)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr == """
                .gitpod/automations.yaml:4:5: error: unknown key 'comand' in task 'build' (did you mean 'command'?)
                .gitpod/automations.yaml:8:17: error: task 'test' depends on unknown task or service 'buld' (did you mean 'build'?)

                """
        )
    }

    @Test func standardInputIsReadWithDashAndNamedStdin() async throws {
        let result = try await BinaryRunner.run(["validate", "--file", "-"], in: "/", stdin: "tasks: [a]\n")
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("<stdin>:1:8: error: tasks must be a mapping"))
        let ok = try await BinaryRunner.run(
            ["validate", "-f", "-"],
            in: "/",
            stdin: #"{"tasks": {"a": {"name": "A", "command": "true"}}}"#
        )
        #expect(ok.status == 0)
        #expect(ok.stdout == "ok: 0 services, 1 task\n")
    }

    @Test func missingFileAndBadFlagsExit2() async throws {
        let empty = URL(fileURLWithPath: try TestEnvironment.directory())
        defer { try? FileManager.default.removeItem(at: empty) }
        let none = try await BinaryRunner.run(["validate"], in: empty.path)
        #expect(none.status == 2)
        #expect(none.stderr.contains("no automations file found"))
        let flag = try await BinaryRunner.run(["validate", "--frobnicate"], in: empty.path)
        #expect(flag.status == 2)
        #expect(flag.stderr.contains("Unknown option '--frobnicate'"))
        let directory = try await BinaryRunner.run(["validate", "--file", empty.path], in: empty.path)
        #expect(directory.status == 2)
        #expect(directory.stderr.contains("is a directory"))
    }

    @Test func listPrintsATableAndJSON() async throws {
        let root = try project(Self.sample)
        defer { try? FileManager.default.removeItem(at: root) }
        let text = try await BinaryRunner.run(["list"], in: root.path)
        #expect(text.status == 0)
        #expect(
            text.stdout == """
                KIND     REFERENCE  NAME      TRIGGERS              DEPENDS ON
                service  db         Database  postEnvironmentStart  -
                task     build      Build     -                     -
                task     test       Test      -                     build, db

                """
        )
        let json = try await BinaryRunner.run(["list", "--format", "json"], in: root.path)
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let tasks = object?["tasks"] as? [[String: Any]]
        #expect(tasks?.map { $0["reference"] as? String } == ["build", "test"])
        #expect(tasks?.last?["dependsOn"] as? [String] == ["build", "db"])
    }

    @Test func planPrintsGroupsAsTextAndJSON() async throws {
        let root = try project(Self.sample)
        defer { try? FileManager.default.removeItem(at: root) }
        let text = try await BinaryRunner.run(["plan", "test"], in: root.path)
        #expect(text.status == 0)
        #expect(
            text.stdout == """
                3 steps in 2 groups
                group 1
                  task    build
                  service db
                group 2
                  task    test   after build, db

                """
        )
        let json = try await BinaryRunner.run(
            ["plan", "--trigger", "postEnvironmentStart", "--format", "json"],
            in: root.path
        )
        #expect(json.status == 0)
        #expect(
            json.stdout.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\n", with: "")
                == #"{"groups":[{"steps":[{"reference":"db","kind":"service","dependsOn":[]}]}]}"#
        )
    }

    @Test func planRefusesUnknownReferencesAndTriggers() async throws {
        let root = try project(Self.sample)
        defer { try? FileManager.default.removeItem(at: root) }
        let reference = try await BinaryRunner.run(["plan", "tset"], in: root.path)
        #expect(reference.status == 2)
        #expect(reference.stderr == "error: unknown task or service 'tset' (did you mean 'test'?)\n")
        let trigger = try await BinaryRunner.run(["plan", "--trigger", "prebuilt"], in: root.path)
        #expect(trigger.status == 2)
        #expect(trigger.stderr == "error: unknown trigger 'prebuilt' (did you mean 'prebuild'?)\n")
    }

    @Test func bundledExampleIsValid() async throws {
        let example = Self.repository.appendingPathComponent("examples/basic")
        let result = try await BinaryRunner.run(["validate"], in: example.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("ok: "))
        #expect(result.stderr.isEmpty, "the example has no warning")
    }

    @Test func helpExplainsEveryCommandWithAnExample() async throws {
        for command in ["validate", "list", "plan"] {
            let result = try await BinaryRunner.run([command, "--help"], in: "/")
            #expect(result.status == 0)
            #expect(result.stdout.contains("Example"))
        }
    }
}
