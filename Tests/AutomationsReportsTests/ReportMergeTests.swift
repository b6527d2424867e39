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
