import AutomationsModel
import AutomationsRuntime
import AutomationsTestSupport
import Foundation
import Testing

/// The result cache as a user meets it: a git repository, a runner file, runs again and again.
@Suite(.timeLimit(.minutes(3)))
struct ResultCacheRunTests {
    static let automations = """
        services:
          db:
            name: db
            commands:
              start: echo started >> db.starts; exec sleep 60
              ready: "true"
        tasks:
          build:
            name: build
            command: echo ran >> build.runs; mkdir -p dist && cat src/*.txt > dist/out.txt && echo built
          test:
            name: test
            dependsOn: [build, db]
            command: echo ran >> test.runs; grep hello dist/out.txt && mkdir -p reports && printf '<testsuite name="unit"><testcase name="adds" classname="m"/><testcase name="subtracts" classname="m"/></testsuite>' > reports/junit.xml
          lint:
            name: lint
            command: echo ran >> lint.runs; echo linted
        """

    static let runner = """
        tasks:
          build:
            sources: ["src/**"]
            outputs: ["dist/**"]
          test:
            sources: ["src/**", "tests/**"]
          lint:
            sources: ["lint/**"]
        """

    /// A committed repository with the two files, sources under src/, tests/ and lint/.
    static func repository() async throws -> Project {
        let project = try Project(automations)
        try runner.write(toFile: project.path(".gitpod/automations.runner.yaml"), atomically: false, encoding: .utf8)
        for folder in ["src", "tests", "lint"] {
            try FileManager.default.createDirectory(atPath: project.path(folder), withIntermediateDirectories: true)
        }
        try "hello\n".write(toFile: project.path("src/a.txt"), atomically: false, encoding: .utf8)
        try "t\n".write(toFile: project.path("tests/t.txt"), atomically: false, encoding: .utf8)
        try "l\n".write(toFile: project.path("lint/rules"), atomically: false, encoding: .utf8)
        try "dist/\nreports/\n*.runs\n*.starts\n.automations/\nreport.*\n".write(
            toFile: project.path(".gitignore"),
            atomically: false,
            encoding: .utf8
        )
        try await git("init -q && git add -A && git -c user.email=t@t -c user.name=t commit -qm init", in: project.root)
        return project
    }

    static func git(_ command: String, in directory: String) async throws {
        let result = try await BinaryRunner.runProgram("git " + command, in: directory)
        #expect(result.status == 0, "git \(command): \(result.stderr)")
    }

    private func runs(_ project: Project, _ task: String) -> Int {
        project.read("\(task).runs").split(separator: "\n").count
    }

    @Test func aSecondIdenticalRunRunsNothingAndRestoresWhatTheFirstWrote() async throws {
        let project = try await Self.repository()
        defer { project.remove() }
        let cache = ["--cache-dir", project.path(".cache-store"), "--collect-junit", "test=reports/junit.xml"]
        let first = try await project.runWithReports(cache)
        #expect(first.status == 0, "\(first.result.stdout)\(first.result.stderr)")
        #expect(runs(project, "build") == 1 && runs(project, "test") == 1 && runs(project, "lint") == 1)
        try FileManager.default.removeItem(atPath: project.path("dist"))
        try FileManager.default.removeItem(atPath: project.path("reports"))

        let second = try await project.runWithReports(cache)
        #expect(second.status == 0, "\(second.result.stdout)\(second.result.stderr)")
        #expect(runs(project, "build") == 1 && runs(project, "test") == 1 && runs(project, "lint") == 1, "nothing ran")
        #expect(project.read("db.starts") == "started\n", "the service was not started again")
        #expect(project.read("dist/out.txt") == "hello\n", "the declared output is restored")
        #expect(second.result.stdout.contains("✓ build cached: passed "))
        #expect(second.result.stdout.contains("3 cached"))
        let cached = try #require(second.step("test")["cache"] as? [String: Any])
        #expect(cached["status"] as? String == "hit")
        #expect(second.junit.contains("property name=\"cached.test\""))
        #expect(
            second.junit.contains("name=\"adds\"") && second.junit.contains("name=\"subtracts\""),
            "inner tests kept"
        )
        #expect(project.read(".automations/logs/tasks/build.log").contains("restored from the result cache"))
        #expect(project.read(".automations/logs/tasks/build.log").contains("built"))
    }

    @Test func oneChangedByteRunsThatTaskAndItsDependentsOnly() async throws {
        let project = try await Self.repository()
        defer { project.remove() }
        let cache = ["--cache-dir", project.path(".cache-store")]
        #expect(try await project.run(["run"] + cache).status == 0)
        try "hellO\nhello\n".write(toFile: project.path("src/a.txt"), atomically: false, encoding: .utf8)
        let second = try await project.run(["run"] + cache)
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(runs(project, "build") == 2 && runs(project, "test") == 2, "build and its dependent ran again")
        #expect(runs(project, "lint") == 1, "lint's sources did not change")
        let explain = try await project.run(["plan", "--explain", "--cache-dir", project.path(".cache-store")])
        #expect(explain.stdout.contains("lint: key"), "\(explain.stdout)")
        try "hello\n".write(toFile: project.path("src/a.txt"), atomically: false, encoding: .utf8)
        let changedAgain = try await project.run(["plan", "--explain", "--cache-dir", project.path(".cache-store")])
        #expect(changedAgain.stdout.contains("build: key"), "\(changedAgain.stdout)")
    }

    @Test func noCacheRunsEverythingAndReadOnlyStoresNothing() async throws {
        let project = try await Self.repository()
        defer { project.remove() }
        let store = ["--cache-dir", project.path(".cache-store")]
        #expect(try await project.run(["run", "--no-cache"] + store).status == 0)
        #expect(try await project.run(["run", "--cache-read-only"] + store).status == 0)
        #expect(runs(project, "build") == 2, "nothing was stored by either run")
        #expect(try await project.run(["run"] + store).status == 0)
        #expect(try await project.run(["run", "--no-cache"] + store).status == 0)
        #expect(runs(project, "build") == 4, "--no-cache runs although a result is stored")
        let explain = try await project.run(["plan", "--explain"] + store)
        #expect(explain.stdout.contains("build: key") && explain.stdout.contains("hit (local)"), "\(explain.stdout)")
    }

    @Test func aTaskWithoutSourcesOutsideGitIsNotCached() async throws {
        let project = try Project("tasks:\n  hello:\n    name: hello\n    command: echo ran >> hello.runs\n")
        defer { project.remove() }
        let store = ["--cache-dir", project.path(".cache-store")]
        #expect(try await project.run(["run"] + store).status == 0)
        #expect(try await project.run(["run"] + store).status == 0)
        #expect(runs(project, "hello") == 2)
        let explain = try await project.run(["plan", "--explain"] + store)
        #expect(
            explain.stdout.contains(
                "not cached: it declares no sources and the working directory is not in a git repository"
            )
        )
    }

    @Test func aBadRunnerFileIsExit2WithItsPosition() async throws {
        let project = try await Self.repository()
        defer { project.remove() }
        try "tasks:\n  buidl:\n    sources: [src]\n  test:\n    cache: maybe\n".write(
            toFile: project.path(".gitpod/automations.runner.yaml"),
            atomically: false,
            encoding: .utf8
        )
        let result = try await project.run(["validate"])
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                ".gitpod/automations.runner.yaml:2:3: error: no task 'buidl' in the automations file (did you mean 'build'?)"
            ),
            "\(result.stderr)"
        )
        #expect(
            result.stderr.contains(
                ".gitpod/automations.runner.yaml:5:12: error: cache of task 'test' must be true or false"
            )
        )
        #expect(try await project.run(["run"]).status == 2)
    }
}
