/// How the targets of a selection are split over N shards.
public struct ShardAssignment: Sendable, Hashable {
    /// The targets of each shard (index 0 is shard 1), in the order they were assigned.
    public var targets: [[String]]
    /// Each shard's predicted work: the sum of the durations of every step it runs (its targets and their
    /// dependencies, shared ones counted in every shard that needs them).
    public var predicted: [Duration]

    /// The slowest shard's predicted work.
    public var makespan: Duration { predicted.max() ?? .zero }
}

/// Splits a selection's targets into N disjoint shards, each running its targets plus their dependency closure,
/// balanced by measured durations: longest processing time first, each target to the shard whose load grows the
/// least with what the target adds to it (its closure minus what the shard already runs). Deterministic: the same
/// file, selection, N and timings give the same split on every machine.
public enum ShardPlanner {
    /// A step costs its measured duration; a step without one costs the median of the known ones (1 s when none
    /// is known).
    public static func assign(
        _ file: AutomationsFile,
        selecting selection: TargetSelection,
        shards: Int,
        timings: [String: Duration]
    ) throws(PlanError) -> ShardAssignment {
        // Unknown references and cycles are refused as `plan` refuses them.
        _ = try Planner.plan(file, selecting: selection)
        let graph = DependencyGraph(file)
        let targets = try Planner.targetReferences(file, selecting: selection)
        let costs = Self.costs(of: graph, timings: timings)
        let closures = ReachabilitySets(graph)
        let ordered = targets.map { target in
            (target, closures.weight(of: graph.index[target]!, costs: costs))
        }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }

        var assigned = [[String]](repeating: [], count: shards)
        var loads = [Int64](repeating: 0, count: shards)
        var members = [[UInt64]](repeating: closures.emptySet, count: shards)
        for (target, _) in ordered {
            let node = graph.index[target]!
            var best = 0
            var bestAdded: Int64 = 0
            for shard in 0..<shards {
                let added = closures.weight(of: node, excluding: members[shard], costs: costs)
                let load = loads[shard] + added
                let bestLoad = loads[best] + bestAdded
                if shard == 0 || load < bestLoad || (load == bestLoad && loads[shard] < loads[best]) {
                    best = shard
                    bestAdded = added
                }
            }
            assigned[best].append(target)
            loads[best] += bestAdded
            closures.add(node, to: &members[best])
        }
        return ShardAssignment(targets: assigned, predicted: loads.map { .nanoseconds($0) })
    }

    /// The plan of one shard (empty when it has no targets) and its predicted work.
    public static func plan(
        _ file: AutomationsFile,
        selecting selection: TargetSelection,
        shard: ShardSpec,
        timings: [String: Duration]
    ) throws(PlanError) -> (plan: ExecutionPlan, predicted: Duration, targets: [String]) {
        let assignment = try assign(file, selecting: selection, shards: shard.total, timings: timings)
        let targets = assignment.targets[shard.index - 1]
        guard !targets.isEmpty else { return (ExecutionPlan(groups: []), .zero, []) }
        let plan = try Planner.plan(file, selecting: TargetSelection(references: targets))
        return (plan, assignment.predicted[shard.index - 1], targets)
    }

    /// Each node's cost in nanoseconds.
    static func costs(of graph: DependencyGraph, timings: [String: Duration]) -> [Int64] {
        let known = graph.nodes.compactMap { timings[$0] }.map(\.nanoseconds).sorted()
        let fallback = known.isEmpty ? Duration.seconds(1).nanoseconds : known[known.count / 2]
        return graph.nodes.map { timings[$0]?.nanoseconds ?? fallback }
    }
}

/// For every node, the set of nodes it needs (itself and everything it depends on, transitively), as bit sets.
struct ReachabilitySets {
    private let sets: [[UInt64]]
    let emptySet: [UInt64]

    init(_ graph: DependencyGraph) {
        let words = (graph.nodes.count + 63) / 64
        emptySet = [UInt64](repeating: 0, count: words)
        var sets = [[UInt64]?](repeating: nil, count: graph.nodes.count)
        // Iteratively, dependencies first (the graph has no cycle here: the plan was made).
        for start in graph.nodes.indices where sets[start] == nil {
            var stack: [(node: Int, expanded: Bool)] = [(start, false)]
            while let (node, expanded) = stack.popLast() {
                if sets[node] != nil { continue }
                if expanded {
                    var set = [UInt64](repeating: 0, count: words)
                    set[node / 64] |= 1 << UInt64(node % 64)
                    for dependency in graph.edges[node] {
                        guard let other = sets[dependency] else { continue }
                        for word in 0..<words where other[word] != 0 { set[word] |= other[word] }
                    }
                    sets[node] = set
                } else {
                    stack.append((node, true))
                    for dependency in graph.edges[node] where sets[dependency] == nil {
                        stack.append((dependency, false))
                    }
                }
            }
        }
        self.sets = sets.map { $0 ?? [] }
    }

    /// The summed cost of what `node` needs, leaving out `excluded`.
    func weight(of node: Int, excluding excluded: [UInt64]? = nil, costs: [Int64]) -> Int64 {
        var total: Int64 = 0
        for (word, bits) in sets[node].enumerated() where bits != 0 {
            var remaining = excluded.map { bits & ~$0[word] } ?? bits
            while remaining != 0 {
                total += costs[word * 64 + remaining.trailingZeroBitCount]
                remaining &= remaining - 1
            }
        }
        return total
    }

    func add(_ node: Int, to set: inout [UInt64]) {
        for (word, bits) in sets[node].enumerated() where bits != 0 { set[word] |= bits }
    }
}
