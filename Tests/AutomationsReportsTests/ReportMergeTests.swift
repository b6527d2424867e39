import AutomationsModel
import Foundation
import Testing

@testable import AutomationsReports

/// Merging shards' reports: each step once (failed if it failed anywhere), the verdict by ``RunVerdict``, and
/// reports of different plans or splits refused.
struct ReportMergeTests {
    typealias Fixture = RunReportTests

    @Test func aStepThatFailedInAnyShardFailsTheMergeAndNamesTheShard() throws {
        let first = Fixture.report(shard: "1/2", steps: [Fixture.step("build"), Fixture.step("a")])
        let second = Fixture.report(
            shard: "2/2",
            phase: "TASK_EXECUTION_PHASE_FAILED",
            steps: [Fixture.step("build"), Fixture.step("b", outcome: "failure")]
        )
        let merged = try ReportMerge.merge([("1.json", first), ("2.json", second)])
        #expect(merged.report.steps.map(\.reference) == ["build", "a", "b"])
        #expect(merged.report.steps[0].shards == ["1/2", "2/2"])
        #expect(merged.report.steps[2].outcomeMessage == "exit status 1 (in shard 2/2)")
        #expect(merged.report.phase == ExecutionPhase.failed.rawValue)
        #expect(merged.report.exitStatus == 1 && merged.failed)
        #expect(merged.report.counts == RunReport.Counts(tests: 3, failures: 1, errors: 0, skipped: 0))
        #expect(merged.report.merged == ["1/2", "2/2"])
        #expect(merged.junit.contains(#"<property name="shards" value="1/2 2/2"/>"#))
    }

    @Test func aWarningThatFailedDoesNotFailTheMerge() throws {
        let only = Fixture.report(shard: "1/1", steps: [Fixture.step("lint", outcome: "failure", warning: true)])
        let merged = try ReportMerge.merge([("1.json", only)])
        #expect(merged.report.phase == ExecutionPhase.succeeded.rawValue)
        #expect(!merged.failed)
    }

    @Test func reportsOfDifferentPlansOrSplitsAreRefused() {
        var other = Fixture.report(shard: "2/2", steps: [])
        other.file = "other.yaml"
        #expect(throws: MergeError.self) {
            try ReportMerge.merge([("1.json", Fixture.report(shard: "1/2", steps: [])), ("2.json", other)])
        }
        #expect(throws: MergeError.shardTwice(shard: "1/2", path: "b.json")) {
            try ReportMerge.merge([
                ("a.json", Fixture.report(shard: "1/2", steps: [])),
                ("b.json", Fixture.report(shard: "1/2", steps: [])),
            ])
        }
        #expect(throws: MergeError.notShardsOfOneSplit(labels: ["1/2", "1/3"])) {
            try ReportMerge.merge([
                ("a.json", Fixture.report(shard: "1/2", steps: [])),
                ("b.json", Fixture.report(shard: "1/3", steps: [])),
            ])
        }
        #expect(throws: MergeError.noReports) { try ReportMerge.merge([]) }
    }
}

/// A split merged without some of its shards: refused, or, when allowed, a failed result that names them.
struct MissingShardTests {
    typealias Fixture = RunReportTests

    @Test func anIncompleteSplitIsRefusedAndNamesTheMissingShards() {
        let one = Fixture.report(shard: "1/3", steps: [Fixture.step("a")])
        #expect(throws: MergeError.missingShards(["2/3", "3/3"])) { try ReportMerge.merge([("1.json", one)]) }
        let three = Fixture.report(shard: "3/3", steps: [Fixture.step("c")])
        #expect(throws: MergeError.missingShards(["2/3"])) {
            try ReportMerge.merge([("1.json", one), ("3.json", three)])
        }
        #expect(
            MergeError.missingShards(["2/3", "3/3"]).description.hasPrefix(
                "the reports of shards 2/3 and 3/3 are missing: a merge of part of a split would pass steps that never ran"
            )
        )
    }

    @Test func allowedMissingShardsFailTheResultAndAreCountedAsErrors() throws {
        let one = Fixture.report(shard: "1/3", steps: [Fixture.step("a")])
        let merged = try ReportMerge.merge([("1.json", one)], allowingMissingShards: true)
        #expect(merged.failed)
        #expect(merged.report.missingShards == ["2/3", "3/3"])
        #expect(merged.report.counts == RunReport.Counts(tests: 3, failures: 0, errors: 2, skipped: 0))
        #expect(merged.junit.contains(#"<testcase name="shard 2/3""#))
        #expect(merged.junit.contains(#"type="missing-shard""#))
        #expect(merged.report.fileText.contains(#""missingShards": "#))
    }
}

/// Shards run side by side: the merged time is the longest shard's, and the HTML draws a lane per shard.
struct ShardLaneTests {
    typealias Fixture = RunReportTests

    @Test func theMergedWallTimeIsTheLongestShardsAndEachShardHasALane() throws {
        // Run one after the other (as on one machine): 5 s and 3 s, not 8 s.
        var first = Fixture.report(shard: "1/2", steps: [Fixture.step("a", seconds: (0, 4))])
        first.completedAt = "2026-12-07T10:00:05.000Z"
        var second = Fixture.report(shard: "2/2", steps: [Fixture.step("b", seconds: (0, 2))])
        second.startedAt = "2026-12-07T10:00:06.000Z"
        second.completedAt = "2026-12-07T10:00:09.000Z"
        second.steps[0].startedAt = "2026-12-07T10:00:06.000Z"
        second.steps[0].completedAt = "2026-12-07T10:00:08.500Z"
        let merged = try ReportMerge.merge([("1.json", first), ("2.json", second)]).report
        let start = try #require(merged.start)
        let end = try #require(merged.end)
        #expect(end.timeIntervalSince(start) == 5)
        #expect(merged.shardSpans?.map(\.shard) == ["1/2", "2/2"])
        #expect(merged.shardSpans?.compactMap(\.seconds) == [5, 3])
        let html = HTMLReport.html(merged)
        #expect(html.contains("wall time 5.00 s (its longest shard's, 1/2: the 2 shards ran side by side)"))
        #expect(html.contains(#"<li class="lane" data-shard="1/2">shard 1/2 · 5.00 s</li>"#))
        #expect(html.contains(#"<li class="lane" data-shard="2/2">shard 2/2 · 3.00 s</li>"#))
        // b is drawn from its shard's start, not 6 s into the merged run (which would be past its end).
        #expect(html.contains(#"title="b: succeeded, 2.500 s""#))
        #expect(html.contains(#"style="left:0.000%;width:50.000%" title="b: succeeded"#))
    }
}
