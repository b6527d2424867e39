import Foundation
import Testing

/// A plan split over the CI's parallel jobs and merged again, and the concurrency limit.
@Suite(.timeLimit(.minutes(2)))
struct ShardingTests {
    static let file = """
        tasks:
          setup: {name: Setup, command: "echo setup"}
          a: {name: A, command: "echo a", dependsOn: [setup]}
          b: {name: B, command: "exit 3", dependsOn: [setup]}
          c: {name: C, command: "echo c"}
          d: {name: D, command: "echo d"}
        """

    @Test func shardsRunTheirTargetsWithDependenciesAndMergeIntoOneRun() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        let full = try await project.run(["run", "--report-json", "full.json", "--junit", "full.xml", "--keep-going"])
        #expect(full.status == 1)
        var statuses: [Int32] = []
        for index in 1...3 {
            let shard = try await project.run(
                [
                    "run", "--shard", "\(index)/3", "--timings", "full.json", "--keep-going", "--logs", "logs-\(index)",
                    "--report-json", "shard-\(index).json",
                ]
            )
            statuses.append(shard.status)
        }
        #expect(statuses.filter { $0 == 1 }.count == 1, "only the shard with b fails")
        let shardSteps = (1...3).map { index in
            ((try? JSONSerialization.jsonObject(with: Data(project.read("shard-\(index).json").utf8))) as? [String: Any])
        }
        #expect(shardSteps.map { $0?["shard"] as? String } == ["1/3", "2/3", "3/3"])
        let targets = shardSteps.flatMap { report in
            ((report?["steps"] as? [[String: Any]]) ?? []).compactMap { $0["reference"] as? String }
        }
        // Every target once; `setup` in every shard that runs a or b.
        for target in ["a", "b", "c", "d"] { #expect(targets.filter { $0 == target }.count == 1) }
        #expect(targets.contains("setup"))

        let merged = try await project.run(
            ["merge", "--junit", "merged.xml", "--report-json", "merged.json"] + (1...3).map { "shard-\($0).json" }
        )
        #expect(merged.status == 1, "b failed, so the merged result fails")
        let mergedJSON = try #require(
            try JSONSerialization.jsonObject(with: Data(project.read("merged.json").utf8)) as? [String: Any]
        )
        let fullJSON = try #require(
            try JSONSerialization.jsonObject(with: Data(project.read("full.json").utf8)) as? [String: Any]
        )
        #expect((mergedJSON["counts"] as? [String: Int]) == (fullJSON["counts"] as? [String: Int]))
        let mergedB = (mergedJSON["steps"] as? [[String: Any]])?.first { $0["reference"] as? String == "b" }
        #expect((mergedB?["outcomeMessage"] as? String)?.hasPrefix("command exited with status 3 (in shard ") == true)
        try await ReportChecks.validate(junitPath: project.path("merged.xml"), jsonPath: project.path("merged.json"))

        let mixed = try await project.run(["merge", "shard-1.json", "full.json"])
        #expect(mixed.status == 2)
        #expect(mixed.stderr.contains("not shards of one split"))

        // A shard that never uploaded its report does not turn the gate green.
        let partial = try await project.run(["merge", "--junit", "partial.xml", "shard-1.json", "shard-3.json"])
        #expect(partial.status == 2)
        #expect(partial.stderr.contains("the report of shard 2/3 is missing"), "\(partial.stderr)")
        #expect(!project.exists("partial.xml"))
        let allowed = try await project.run(
            [
                "merge", "--allow-missing-shards", "--junit", "partial.xml", "--report-json", "partial.json",
                "shard-1.json",
            ]
        )
        #expect(allowed.status == 1)
        #expect(allowed.stdout.contains("merged 1 report (missing: shards 2/3 and 3/3)"), "\(allowed.stdout)")
        let partialJSON =
            try JSONSerialization.jsonObject(with: Data(project.read("partial.json").utf8)) as? [String: Any]
        #expect(partialJSON?["missingShards"] as? [String] == ["2/3", "3/3"])
        #expect(project.read("partial.xml").contains(#"<testcase name="shard 3/3""#))
        try await ReportChecks.validate(junitPath: project.path("partial.xml"), jsonPath: project.path("partial.json"))
    }

    @Test func planShowsEveryShardWithItsPrediction() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        let result = try await project.run(["plan", "--shards", "2"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("2 shards: predicted makespan "))
        #expect(result.stdout.contains("shard 1/2: predicted "))
        let auto = try await project.run(
            ["plan", "--shard", "auto"],
            environment: ["CI_NODE_INDEX": "2", "CI_NODE_TOTAL": "2"]
        )
        #expect(auto.stderr.contains("shard 2/2 (from GitLab CI)"))
        let bad = try await project.run(["run", "--shard", "3/2"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--shard '3/2' is not K/N"))
    }

    @Test func jobsLimitsHowManyTaskStepsRunAtOnce() async throws {
        let project = try Project(
            """
            tasks:
              one: {name: One, command: "sleep 0.3"}
              two: {name: Two, command: "sleep 0.3"}
              three: {name: Three, command: "sleep 0.3"}
            """
        )
        defer { project.remove() }
        let outcome = try await project.runWithReports(["--jobs", "1"])
        #expect(outcome.status == 0)
        let intervals = ["one", "three", "two"].compactMap { outcome.interval($0) }
        #expect(intervals.count == 3)
        // In reference order, one after the other.
        for (earlier, later) in zip(intervals, intervals.dropFirst()) { #expect(earlier.end <= later.start + 0.001) }
        #expect(try await project.run(["run", "--jobs", "0"]).status == 2)
    }
}
