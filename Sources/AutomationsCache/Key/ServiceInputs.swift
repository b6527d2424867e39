package import AutomationsModel

extension TaskKeys {
    /// What a service is started with: its definition, and the contents of its `sources` in the runner file
    /// (without sources: the working tree as git sees it). A warm service whose inputs differ from those it was
    /// started with is stale. Without sources outside a git repository its inputs are unknown (`key` is `nil`): it is
    /// never taken for stale.
    package func serviceKey(of service: ServiceDefinition) -> TaskKey {
        var inputs = ["definition": Self.describe(service)]
        if let sources = settings.services[service.reference]?.sources {
            for (path, identity) in tree.matching(sources.map(Glob.init)) { inputs["file:" + path] = identity }
        } else if tree.isGitRepository {
            inputs["tree"] = tree.digest
        } else {
            return TaskKey(
                reference: service.reference,
                key: nil,
                reason: "no sources, not in a git repository",
                inputs: inputs,
                outputs: nil
            )
        }
        var hasher = SHA256Hasher()
        for (name, value) in inputs.sorted(by: { $0.key < $1.key }) {
            hasher.update("\(name.utf8.count):\(name)\(value.utf8.count):\(value)\n")
        }
        return TaskKey(reference: service.reference, key: hasher.finish(), reason: nil, inputs: inputs, outputs: nil)
    }

    /// What changed between two sets of inputs, named for people: `src/app.py changed`, `its definition changed`.
    package static func changes(from old: TaskKey, to new: TaskKey) -> [String] {
        var changed: [String] = []
        for name in Set(old.inputs.keys).union(new.inputs.keys).sorted() where old.inputs[name] != new.inputs[name] {
            let shown = name.hasPrefix("file:") ? String(name.dropFirst(5)) : name
            switch (old.inputs[name], new.inputs[name]) {
            case (nil, _?): changed.append(name == "tree" ? "its sources changed" : "\(shown) was added")
            case (_?, nil): changed.append(name == "tree" ? "its sources changed" : "\(shown) was removed")
            default:
                changed.append(
                    name == "tree"
                        ? "the working tree changed"
                        : name == "definition" ? "its definition changed" : "\(shown) changed"
                )
            }
        }
        return changed
    }
}
