/// One of N shards, `K/N` with K from 1: the part of a plan that one of the CI's parallel jobs runs.
public struct ShardSpec: Sendable, Hashable, CustomStringConvertible {
    /// From 1 to ``total``.
    public var index: Int
    public var total: Int

    public init?(index: Int, total: Int) {
        guard total >= 1, (1...total).contains(index) else { return nil }
        self.index = index
        self.total = total
    }

    /// `K/N`; `nil` for anything else (K from 1 to N, N ≥ 1).
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let total = Int(parts[1]) else { return nil }
        self.init(index: index, total: total)
    }

    /// The shard the CI's own variables name: GitLab `CI_NODE_INDEX`/`CI_NODE_TOTAL` (1-based), CircleCI
    /// `CIRCLE_NODE_INDEX`/`CIRCLE_NODE_TOTAL` and Buildkite `BUILDKITE_PARALLEL_JOB`/`BUILDKITE_PARALLEL_JOB_COUNT`
    /// (0-based). Returns the CI's name too; `nil` when none is set.
    public static func fromCI(_ environment: [String: String]) -> (shard: ShardSpec, source: String)? {
        let sources: [(String, String, Int, String)] = [
            ("CI_NODE_INDEX", "CI_NODE_TOTAL", 0, "GitLab CI"),
            ("CIRCLE_NODE_INDEX", "CIRCLE_NODE_TOTAL", 1, "CircleCI"),
            ("BUILDKITE_PARALLEL_JOB", "BUILDKITE_PARALLEL_JOB_COUNT", 1, "Buildkite"),
        ]
        for (indexName, totalName, offset, name) in sources {
            guard let index = environment[indexName].flatMap({ Int($0) }),
                let total = environment[totalName].flatMap({ Int($0) }),
                let shard = ShardSpec(index: index + offset, total: total)
            else { continue }
            return (shard, name)
        }
        return nil
    }

    public var description: String { "\(index)/\(total)" }
}
