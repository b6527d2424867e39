/// The `dependsOn` edges between the services and tasks of a file, for cycle detection and ordering.
///
/// Every algorithm here is iterative: a chain of 10,000 tasks must not exhaust a thread's stack.
public struct DependencyGraph: Sendable {
    /// References in file order (services first, then tasks).
    public let nodes: [String]
    /// For each node (by index), the indices of the nodes it depends on, in the order written.
    public let edges: [[Int]]
    /// Node index by reference.
    public let index: [String: Int]

    /// Builds the graph of a file; dependencies on references that do not exist are left out.
    public init(_ file: AutomationsFile) {
        var nodes: [String] = []
        var index: [String: Int] = [:]
        for reference in file.allReferences where index[reference] == nil {
            index[reference] = nodes.count
            nodes.append(reference)
        }
        var edges = [[Int]](repeating: [], count: nodes.count)
        for task in file.tasks {
            guard let from = index[task.reference] else { continue }
            for dependency in task.dependsOn {
                if let to = index[dependency] { edges[from].append(to) }
            }
        }
        self.nodes = nodes
        self.edges = edges
        self.index = index
    }

    /// One cycle for every group of mutually dependent nodes, as a path that returns to its start
    /// (`["a", "b", "c", "a"]`). Self-dependencies are cycles of length one (`["a", "a"]`).
    /// Each cycle starts at its node that comes first in the file; cycles are ordered by that node.
    public func cycles() -> [[String]] {
        stronglyConnectedComponents().compactMap { component -> [String]? in
            let start = component.min()!
            if component.count == 1 {
                return edges[start].contains(start) ? [nodes[start], nodes[start]] : nil
            }
            let members = Set(component)
            return shortestCycle(through: start, within: members)?.map { nodes[$0] }
        }.sorted { index[$0[0]]! < index[$1[0]]! }
    }

    /// Breadth-first search from `start` back to `start`, staying inside `members`.
    private func shortestCycle(through start: Int, within members: Set<Int>) -> [Int]? {
        var parent: [Int: Int] = [:]
        var queue = [start]
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            for next in edges[node] where members.contains(next) {
                if next == start {
                    var backwards = [node]
                    var cursor = node
                    while cursor != start {
                        cursor = parent[cursor]!
                        backwards.append(cursor)
                    }
                    return backwards.reversed() + [start]
                }
                if parent[next] == nil {
                    parent[next] = node
                    queue.append(next)
                }
            }
        }
        return nil
    }

    /// Tarjan's algorithm with an explicit stack.
    private func stronglyConnectedComponents() -> [[Int]] {
        let count = nodes.count
        var order = [Int](repeating: -1, count: count)
        var lowLink = [Int](repeating: 0, count: count)
        var onStack = [Bool](repeating: false, count: count)
        var stack: [Int] = []
        var components: [[Int]] = []
        var counter = 0
        // Each frame: the node and the position of the next edge to look at.
        var frames: [(node: Int, edge: Int)] = []
        for root in 0..<count where order[root] == -1 {
            frames.append((root, 0))
            order[root] = counter
            lowLink[root] = counter
            counter += 1
            stack.append(root)
            onStack[root] = true
            while let frame = frames.last {
                let node = frame.node
                if frame.edge < edges[node].count {
                    frames[frames.count - 1].edge += 1
                    let next = edges[node][frame.edge]
                    if order[next] == -1 {
                        order[next] = counter
                        lowLink[next] = counter
                        counter += 1
                        stack.append(next)
                        onStack[next] = true
                        frames.append((next, 0))
                    } else if onStack[next] {
                        lowLink[node] = min(lowLink[node], order[next])
                    }
                    continue
                }
                frames.removeLast()
                if let parent = frames.last {
                    lowLink[parent.node] = min(lowLink[parent.node], lowLink[node])
                }
                if lowLink[node] == order[node] {
                    var component: [Int] = []
                    while true {
                        let member = stack.removeLast()
                        onStack[member] = false
                        component.append(member)
                        if member == node { break }
                    }
                    components.append(component)
                }
            }
        }
        return components
    }
}
