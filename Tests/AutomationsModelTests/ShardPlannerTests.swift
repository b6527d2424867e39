import AutomationsModel
import Testing

/// Splitting a selection over N shards: disjoint, complete, deterministic, balanced by the timings.
struct ShardPlannerTests {
    /// Tasks t0…t(n-1), each `duration[i]` seconds; `shared` is a dependency of the first two.
    static func file(durations: [Int], withShared: Bool = false) -> (AutomationsFile, [String: Duration]) {
        var tasks: [TaskDefinition] = []
        var timings: [String: Duration] = [:]
        if withShared {
            tasks.append(TaskDefinition(reference: "shared", name: "Shared", command: "true"))
            timings["shared"] = .seconds(1)
        }
        for (index, seconds) in durations.enumerated() {
            let dependsOn = withShared && index < 2 ? ["shared"] : []
            tasks.append(TaskDefinition(reference: "t\(index)", name: "T", command: "true", dependsOn: dependsOn))
            timings["t\(index)"] = .seconds(seconds)
        }
        return (AutomationsFile(services: [], tasks: tasks), timings)
    }

    @Test func everyTargetLandsInExactlyOneShardAndTheSplitIsDeterministic() throws {
        let (file, timings) = Self.file(durations: [5, 1, 8, 3, 3, 2, 7, 4, 6, 2])
        let split = try ShardPlanner.assign(file, selecting: .allTasks, shards: 3, timings: timings)
        let all = split.targets.flatMap { $0 }
        #expect(all.sorted() == (0..<10).map { "t\($0)" }.sorted())
        #expect(Set(all).count == all.count)
        #expect(try ShardPlanner.assign(file, selecting: .allTasks, shards: 3, timings: timings) == split)
    }

    @Test func longestFirstBalancesKnownDurations() throws {
        // 41 s of work over 3 shards: the best split is 14/14/13.
        let (file, timings) = Self.file(durations: [5, 1, 8, 3, 3, 2, 7, 4, 6, 2])
        let split = try ShardPlanner.assign(file, selecting: .allTasks, shards: 3, timings: timings)
        #expect(split.predicted.reduce(.zero, +) == .seconds(41))
        #expect(split.makespan <= .seconds(15))
    }

    @Test func aSharedDependencyRunsInEveryShardThatNeedsIt() throws {
        let (file, timings) = Self.file(durations: [4, 4], withShared: true)
        let split = try ShardPlanner.assign(
            file,
            selecting: TargetSelection(references: ["t0", "t1"]),
            shards: 2,
            timings: timings
        )
        #expect(split.predicted == [.seconds(5), .seconds(5)])
        for index in 1...2 {
            let part = try ShardPlanner.plan(
                file,
                selecting: TargetSelection(references: ["t0", "t1"]),
                shard: ShardSpec(index: index, total: 2)!,
                timings: timings
            )
            #expect(part.plan.steps.map(\.reference).contains("shared"))
            #expect(part.plan.stepCount == 2)
        }
    }

    @Test func unknownDurationsCostTheMedianAndEmptyShardsRunNothing() throws {
        let (file, _) = Self.file(durations: [1, 1])
        let split = try ShardPlanner.assign(file, selecting: .allTasks, shards: 3, timings: ["t0": .seconds(3)])
        #expect(split.predicted.filter { $0 == .seconds(3) }.count == 2)
        let empty = try ShardPlanner.plan(
            file,
            selecting: .allTasks,
            shard: ShardSpec(index: 3, total: 3)!,
            timings: [:]
        )
        #expect(empty.plan.stepCount == 0)
    }

    @Test func shardsAreReadFromTheCIsVariables() {
        #expect(ShardSpec(parsing: "2/4") == ShardSpec(index: 2, total: 4))
        #expect(ShardSpec(parsing: "0/4") == nil)
        #expect(ShardSpec(parsing: "5/4") == nil)
        #expect(ShardSpec.fromCI(["CI_NODE_INDEX": "2", "CI_NODE_TOTAL": "4"])?.shard.description == "2/4")
        #expect(ShardSpec.fromCI(["CIRCLE_NODE_INDEX": "0", "CIRCLE_NODE_TOTAL": "3"])?.shard.description == "1/3")
        #expect(
            ShardSpec.fromCI(["BUILDKITE_PARALLEL_JOB": "3", "BUILDKITE_PARALLEL_JOB_COUNT": "4"])?.shard.description
                == "4/4"
        )
        #expect(ShardSpec.fromCI([:]) == nil)
    }
}
