import AutomationsModel
import AutomationsTestSupport
import Foundation
import Testing

@testable import AutomationsRuntime

/// The plan executor on real processes: order by groups or by dependencies, what is not run and why, `--jobs`.
@Suite(.timeLimit(.minutes(1)))
struct PlanExecutorTests {
    private func run(
        _ tasks: [TaskDefinition],
        schedule: PlanSchedule = .groups,
        keepGoing: Bool = false,
        in directory: String
    ) async throws -> (report: ExecutionReport, events: [RuntimeEvent]) {
        _ = TestEnvironment.subreaper
        let file = AutomationsFile(tasks: tasks)
        let plan = try Planner.plan(file, selecting: TargetSelection())
        var options = ExecutionOptions(
            keepGoing: keepGoing,
            resolver: CommandResolver(
                workingDirectory: directory,
                environment: TestEnvironment.base,
                containers: .host
            )
        )
        options.schedule = schedule
        let observer = RecordingObserver()
        let report = await PlanExecutor(file: file, plan: plan, options: options, observer: observer).run()
        return (report, observer.events)
    }

    private func task(_ reference: String, _ command: String, after: [String] = []) -> TaskDefinition {
        TaskDefinition(reference: reference, name: reference, command: command, dependsOn: after)
    }

    private func started(_ events: [RuntimeEvent]) -> [String] {
        events.compactMap { event in
            if case .stepStarted(let step, _) = event { return step.reference }
            return nil
        }
    }

    @Test func aFailureLeavesLaterGroupsNotRunWithTheReason() async throws {
        let directory = try TestEnvironment.directory()
        let tasks = [task("broken", "exit 3"), task("fine", "true"), task("later", "touch later", after: ["fine"])]
        let (report, events) = try await run(tasks, in: directory)
        #expect(report.exitStatus == 1)
        #expect(!started(events).contains("later"))
        #expect(report.steps.first { $0.step.reference == "later" }?.skipReason == .earlierGroupFailed("broken"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/later"))
        let going = try await run(tasks, keepGoing: true, in: directory)
        #expect(going.report.steps.first { $0.step.reference == "later" }?.phase == .succeeded)
    }

    @Test func byDependenciesAStepDoesNotWaitForItsGroup() async throws {
        let directory = try TestEnvironment.directory()
        // `waiting` (group 1) waits for a file that only `after-fast` (group 2) makes: by groups it waits in vain.
        let waits = "for i in $(seq 50); do test -e after-fast.ran && exit 0; sleep 0.1; done; exit 1"
        let tasks = [
            task("waiting", waits), task("fast", "true"),
            task("after-fast", "touch after-fast.ran", after: ["fast"]),
        ]
        let byDependencies = try await run(tasks, schedule: .dependencies, in: directory)
        #expect(byDependencies.report.exitStatus == 0)
        try FileManager.default.removeItem(atPath: directory + "/after-fast.ran")
        let byGroups = try await run(tasks, in: directory)
        #expect(byGroups.report.steps.first { $0.step.reference == "waiting" }?.phase == .failed)
        #expect(byGroups.report.steps.first { $0.step.reference == "after-fast" }?.phase == .pending)
    }
}
