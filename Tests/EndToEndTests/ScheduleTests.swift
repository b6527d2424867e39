import AutomationsTestSupport
import Foundation
import Testing

/// `run --schedule dependencies`: a step starts as soon as its own dependencies have succeeded, not when its whole
/// group has; after a failure nothing new starts unless `--keep-going`; `--jobs` still holds.
@Suite(.timeLimit(.minutes(2)))
struct ScheduleTests {
    /// The service gets ready only once `package` has run, which depends on tasks only: by groups (the service in the
    /// first group, `package` in the third) it can never get ready; by dependencies it does.
    static let file = """
        services:
          db: {name: DB, commands: {start: "exec sleep 60", ready: "test -f package.done"}, readinessTimeout: 3s}
        tasks:
          deps: {name: Deps, command: "echo deps"}
          unit: {name: Unit, command: "echo unit", dependsOn: [deps]}
          lint: {name: Lint, command: "echo lint", dependsOn: [deps]}
          package: {name: Package, command: "touch package.done", dependsOn: [unit, lint]}
          integration: {name: Integration, command: "echo integration", dependsOn: [db, package]}
        """

    @Test func aStepStartsWhenItsOwnDependenciesHaveSucceeded() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        let byDependencies = try await project.runWithReports(["--schedule", "dependencies"])
        #expect(byDependencies.status == 0, "\(byDependencies.result.stdout.suffix(1500))")
        for step in ["deps", "unit", "lint", "package", "db", "integration"] {
            #expect(byDependencies.stepPhase(step) == "TASK_EXECUTION_PHASE_SUCCEEDED", "\(step)")
        }
        try FileManager.default.removeItem(atPath: project.path("package.done"))
        // By groups, package waits for the service's group, which waits for package.
        let byGroups = try await project.runWithReports([])
        #expect(byGroups.status == 1)
        #expect(byGroups.stepPhase("db") == "TASK_EXECUTION_PHASE_FAILED")
        #expect(!project.exists("package.done"))
    }

    @Test func afterAFailureNothingNewStartsUnlessKeepGoing() async throws {
        let project = try Project(
            """
            tasks:
              broken: {name: Broken, command: "exit 3"}
              slow: {name: Slow, command: "sleep 0.5"}
              after-slow: {name: After slow, command: "touch after-slow.ran", dependsOn: [slow]}
            """
        )
        defer { project.remove() }
        let stopping = try await project.runWithReports(["--schedule", "dependencies"])
        #expect(stopping.status == 1)
        #expect(stopping.stepPhase("slow") == "TASK_EXECUTION_PHASE_SUCCEEDED")
        #expect(stopping.step("after-slow")["skipReason"] as? String == "'broken' failed before it could start")
        #expect(!project.exists("after-slow.ran"))
        let going = try await project.runWithReports(["--schedule", "dependencies", "--keep-going"])
        #expect(going.status == 1)
        #expect(going.stepPhase("after-slow") == "TASK_EXECUTION_PHASE_SUCCEEDED")
    }

    @Test func jobsStillLimitsTheTasksRunningAtOnce() async throws {
        let project = try Project(
            """
            tasks:
              a: {name: A, command: "test ! -e running && touch running && sleep 0.2 && rm running"}
              b: {name: B, command: "test ! -e running && touch running && sleep 0.2 && rm running"}
              c: {name: C, command: "test ! -e running && touch running && sleep 0.2 && rm running"}
            """
        )
        defer { project.remove() }
        let outcome = try await project.runWithReports(["--schedule", "dependencies", "--jobs", "1"])
        #expect(outcome.status == 0, "two ran at once: \(outcome.result.stdout.suffix(800))")
    }

    @Test func planShowsTheDependenciesAndTheLongestChain() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        let text = try await project.run(["plan", "--schedule", "dependencies"])
        #expect(text.status == 0)
        #expect(text.stdout.hasPrefix("6 steps, each as soon as its own dependencies have succeeded\n"))
        #expect(text.stdout.contains("  task    integration  after db, package\n"))
        #expect(text.stdout.hasSuffix("longest chain: deps -> unit -> package -> integration\n"))
        let json = try await project.run(["plan", "--schedule", "dependencies", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["schedule"] as? String == "dependencies")
        #expect(object?["longestChain"] as? [String] == ["deps", "unit", "package", "integration"])
    }

    @Test func anUnknownScheduleIsExit2() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        let result = try await project.run(["run", "--schedule", "asap"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("asap"))
    }
}
