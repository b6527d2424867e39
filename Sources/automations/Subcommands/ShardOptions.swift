import ArgumentParser
import AutomationsModel
import AutomationsReports
import Foundation

/// `--shard K/N|auto` and `--timings PATH…`: which part of a split plan to run, balanced by earlier durations.
struct ShardOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Run shard K of N (K from 1), or `auto` from the CI's variables (GitLab, CircleCI, Buildkite).",
            valueName: "K/N|auto"
        )
    )
    var shard: String?

    @Option(
        help: ArgumentHelp(
            "Step durations from an earlier run, to balance shards: a JSON report or JUnit XML (repeatable).",
            valueName: "path"
        )
    )
    var timings: [String] = []

    /// The shard asked for, `nil` without `--shard`; a bad value exits 2.
    func resolve(options: FileOptions) throws -> ShardSpec? {
        guard let shard else {
            if !timings.isEmpty { throw options.fail("--timings is only used with --shard") }
            return nil
        }
        if shard == "auto" {
            if let found = ShardSpec.fromCI(ProcessInfo.processInfo.environment) {
                FileHandle.standardError.write(Data("automations: shard \(found.shard) (from \(found.source))\n".utf8))
                return found.shard
            }
            FileHandle.standardError.write(
                Data(
                    ("automations: --shard auto: no CI_NODE_INDEX/CI_NODE_TOTAL, CIRCLE_NODE_INDEX/CIRCLE_NODE_TOTAL or "
                        + "BUILDKITE_PARALLEL_JOB/BUILDKITE_PARALLEL_JOB_COUNT; running everything as shard 1/1\n")
                        .utf8
                )
            )
            return ShardSpec(index: 1, total: 1)
        }
        guard let spec = ShardSpec(parsing: shard) else {
            throw options.fail("--shard '\(shard)' is not K/N with K from 1 to N (for example 2/4), nor auto")
        }
        return spec
    }

    /// The durations from `--timings`; an unusable file exits 2.
    func durations(options: FileOptions) throws -> [String: Duration] {
        do {
            return try TimingsFiles.read(timings)
        } catch {
            throw options.fail(error.description)
        }
    }
}
