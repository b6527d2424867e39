import AutomationsModel
import Testing

struct PlannerTests {
    private func task(_ reference: String, _ dependsOn: [String] = [], triggers: [Trigger] = []) -> TaskDefinition {
        TaskDefinition(
            reference: reference,
            name: reference,
            command: "true",
            dependsOn: dependsOn,
            triggeredBy: triggers
        )
    }

    private func service(_ reference: String, triggers: [Trigger] = []) -> ServiceDefinition {
        ServiceDefinition(
            reference: reference,
            name: reference,
            triggeredBy: triggers,
            commands: .init(start: "sleep 1")
        )
    }

    private func groups(_ plan: ExecutionPlan) -> [[String]] { plan.groups.map { $0.map(\.reference) } }

    @Test func groupIsOneMoreThanTheHighestDependency() throws {
        let file = AutomationsFile(
            services: [service("db")],
            tasks: [task("a"), task("b", ["a"]), task("c", ["a", "b", "db"]), task("d", ["db"])]
        )
        let plan = try Planner.plan(file, selecting: .allTasks)
        #expect(groups(plan) == [["a", "db"], ["b", "d"], ["c"]])
        let c = try #require(plan.steps.first { $0.reference == "c" })
        #expect(c.group == 2)
        #expect(c.dependsOn == ["a", "b", "db"])
        #expect(plan.steps.first { $0.reference == "db" }?.kind == .service)
    }

    @Test func unknownReferenceSuggestsTheClosest() {
        let file = AutomationsFile(tasks: [task("build"), task("test")])
        #expect(throws: PlanError.unknownReference("tset", suggestion: "test")) {
            try Planner.plan(file, selecting: TargetSelection(references: ["tset"]))
        }
        #expect(throws: PlanError.unknownReference("zzz", suggestion: nil)) {
            try Planner.plan(file, selecting: TargetSelection(references: ["zzz"]))
        }
    }

    @Test func cyclesAreRefusedWithTheirPath() {
        let file = AutomationsFile(tasks: [task("a", ["b"]), task("b", ["c"]), task("c", ["a"]), task("d")])
        #expect(throws: PlanError.cycle(["a", "b", "c", "a"])) {
            try Planner.plan(file, selecting: TargetSelection(references: ["c"]))
        }
        #expect(throws: Never.self) { try Planner.plan(file, selecting: TargetSelection(references: ["d"])) }
    }

    @Test func triggerSelectsServicesAndTasks() throws {
        let file = AutomationsFile(
            services: [service("web", triggers: [.prebuild]), service("other")],
            tasks: [
                task("install", triggers: [.prebuild]), task("build", ["install"], triggers: [.prebuild]), task("x"),
            ]
        )
        let plan = try Planner.plan(file, selecting: TargetSelection(trigger: .prebuild))
        #expect(groups(plan) == [["install", "web"], ["build"]])
        #expect(try Planner.plan(file, selecting: TargetSelection(trigger: .manual)).stepCount == 0)
    }

    @Test func longChainDoesNotExhaustTheStack() throws {
        let count = 20_000
        let tasks = (0..<count).map { index in task("t\(index)", index == 0 ? [] : ["t\(index - 1)"]) }
        let plan = try Planner.plan(
            AutomationsFile(tasks: tasks),
            selecting: TargetSelection(references: ["t\(count - 1)"])
        )
        #expect(plan.groups.count == count)
        let cyclic = AutomationsFile(
            tasks: tasks.enumerated().map { index, task in
                index == 0 ? self.task("t0", ["t\(count - 1)"]) : task
            }
        )
        #expect(DependencyGraph(cyclic).cycles().first?.count == count + 1)
    }
}
