/// Why a plan cannot be made.
public enum PlanError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A requested reference names neither a task nor a service.
    case unknownReference(String, suggestion: String?)
    /// The requested steps depend on each other in a circle (a path that returns to its start).
    case cycle([String])

    public var description: String {
        switch self {
        case .unknownReference(let reference, let suggestion):
            "unknown task or service '\(reference)'" + Suggestion.didYouMean(suggestion)
        case .cycle(let path):
            "dependency cycle: " + path.joined(separator: " -> ")
        }
    }
}

/// Turns requested targets into an execution plan (spec section 3).
public enum Planner {
    /// The plan for `selection`: the targets and everything they depend on, transitively, in groups.
    ///
    /// A step's group is one more than the highest group of its dependencies; steps without dependencies are in
    /// group 0. Within a group, steps are ordered by reference. Several targets make one plan, so a shared
    /// dependency appears once.
    /// - Throws: ``PlanError`` for an unknown reference or a dependency cycle among the selected steps.
    public static func plan(
        _ file: AutomationsFile,
        selecting selection: TargetSelection
    ) throws(PlanError)
        -> ExecutionPlan
    {
        let graph = DependencyGraph(file)
        let targets = try targetIndices(file, graph: graph, selection: selection)
        let closure = transitiveClosure(of: targets, in: graph)
        let groups = try groupNumbers(of: closure, in: graph)

        var steps: [[PlanStep]] = Array(repeating: [], count: (groups.values.max() ?? -1) + 1)
        let serviceReferences = Set(file.services.map(\.reference))
        var dependsOn: [String: [String]] = [:]
        for task in file.tasks { dependsOn[task.reference] = task.dependsOn }
        for (node, group) in groups {
            let reference = graph.nodes[node]
            let kind: StepKind = serviceReferences.contains(reference) ? .service : .task
            let dependencies = kind == .task ? dependsOn[reference] ?? [] : []
            steps[group].append(PlanStep(reference: reference, kind: kind, group: group, dependsOn: dependencies))
        }
        for group in steps.indices {
            steps[group].sort { $0.reference < $1.reference }
        }
        return ExecutionPlan(groups: steps)
    }

    /// The targets a selection names (before their dependencies come along), each once, in the order named.
    public static func targetReferences(
        _ file: AutomationsFile,
        selecting selection: TargetSelection
    ) throws(PlanError) -> [String] {
        let graph = DependencyGraph(file)
        var seen: Set<Int> = []
        return try targetIndices(file, graph: graph, selection: selection).filter { seen.insert($0).inserted }.map {
            graph.nodes[$0]
        }
    }

    private static func targetIndices(
        _ file: AutomationsFile,
        graph: DependencyGraph,
        selection: TargetSelection
    ) throws(PlanError) -> [Int] {
        var targets: [Int] = []
        for reference in selection.references {
            guard let node = graph.index[reference] else {
                throw .unknownReference(reference, suggestion: Suggestion.closest(to: reference, in: graph.nodes))
            }
            targets.append(node)
        }
        if let trigger = selection.trigger {
            for service in file.services where service.triggeredBy.contains(trigger) {
                targets.append(graph.index[service.reference]!)
            }
            for task in file.tasks where task.triggeredBy.contains(trigger) {
                targets.append(graph.index[task.reference]!)
            }
        }
        if selection.references.isEmpty && selection.trigger == nil {
            targets = file.tasks.map { graph.index[$0.reference]! }
        }
        return targets
    }

    private static func transitiveClosure(of targets: [Int], in graph: DependencyGraph) -> [Int] {
        var seen = [Bool](repeating: false, count: graph.nodes.count)
        var result: [Int] = []
        var stack = targets
        while let node = stack.popLast() {
            guard !seen[node] else { continue }
            seen[node] = true
            result.append(node)
            stack.append(contentsOf: graph.edges[node])
        }
        return result
    }

    /// Kahn's algorithm over the selected nodes; nodes left over lie on or behind a cycle.
    private static func groupNumbers(of nodes: [Int], in graph: DependencyGraph) throws(PlanError) -> [Int: Int] {
        let selected = Set(nodes)
        var waitingOn: [Int: Int] = [:]
        var dependents: [Int: [Int]] = [:]
        for node in nodes {
            let dependencies = Set(graph.edges[node])
            waitingOn[node] = dependencies.count
            for dependency in dependencies where selected.contains(dependency) {
                dependents[dependency, default: []].append(node)
            }
        }
        var group: [Int: Int] = [:]
        var ready = nodes.filter { waitingOn[$0] == 0 }
        for node in ready { group[node] = 0 }
        while let node = ready.popLast() {
            for dependent in dependents[node] ?? [] {
                group[dependent] = max(group[dependent] ?? 0, group[node]! + 1)
                waitingOn[dependent]! -= 1
                if waitingOn[dependent] == 0 { ready.append(dependent) }
            }
        }
        if group.count < nodes.count {
            let cycle = graph.cycles().first { graph.index[$0[0]].map(selected.contains) ?? false }
            throw .cycle(cycle ?? [])
        }
        return group
    }
}
