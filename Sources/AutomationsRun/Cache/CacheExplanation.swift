import AutomationsCache
package import AutomationsConfig
package import AutomationsModel
import AutomationsRuntime
import Foundation

/// `plan --explain`: each task's key, what went into it, and whether a run would use a stored success; for a miss,
/// which inputs changed since the task's last hit or store on this machine.
package enum CacheExplanation {
    package static func text(
        loaded: LoadedAutomationsFile,
        plan: ExecutionPlan,
        settings: CacheSettings,
        environment: [String: String]
    ) async -> String {
        let folder = settings.folder ?? LocalStore.defaultFolder(environment: environment)
        let root = loaded.rootDirectory
        let tree = await WorkingTree.read(
            root: root,
            excluding: [Glob(".automations/**")]
                + (loaded.runner?.settings.tasks.values.flatMap { $0.outputs ?? [] } ?? []).map(Glob.init),
            cacheFolder: folder,
            environment: environment
        )
        let keys = TaskKeys(
            file: loaded.file,
            settings: loaded.runner?.settings ?? RunnerSettings(),
            tree: tree,
            userEnvironment: [:],
            environment: environment
        ).keys(for: plan)
        let remote = settings.remoteURL.flatMap { RemoteStore(url: $0, token: settings.remoteToken, warn: { _ in }) }
        let cache = ResultCache(
            local: LocalStore(folder: folder),
            remote: remote,
            readOnly: true,
            maxEntrySize: settings.maxEntrySize,
            warn: { _ in }
        )
        let manifests = ManifestStore(folder: folder, root: root)
        var text = tree.isGitRepository ? "" : "(not in a git repository: tasks without sources are not cached)\n"
        for step in plan.steps where step.kind == .task {
            guard let key = keys[step.reference] else { continue }
            text += explain(key, cache: cache, last: manifests.last(step.reference))
        }
        return text
    }

    private static func explain(_ key: TaskKey, cache: ResultCache, last: TaskKey?) -> String {
        var lines = ["\(key.reference):"]
        guard let value = key.key else {
            return lines[0] + " not cached: \(key.reason ?? "")\n"
        }
        lines[0] += " key \(value.prefix(16))"
        if let hit = cache.lookup(value) {
            let entry = hit.entry
            let hitValue = CacheHit(
                key: value,
                storedAt: entry.storedAt,
                commit: entry.commit,
                saved: .nanoseconds(Int64(entry.durationSeconds * 1e9)),
                flaky: entry.flaky,
                fromRemote: hit.fromRemote
            )
            lines[0] += ", hit (\(hit.fromRemote ? "remote" : "local")): \(hitValue.summary())"
        } else if let last, last.key != value {
            lines[0] += ", miss: changed since its last hit or store: " + changes(from: last, to: key)
        } else {
            lines[0] += ", miss: never stored on this machine"
        }
        let files = key.inputs.keys.filter { $0.hasPrefix("file:") }.count
        var parts = ["command", "runsOn"]
        parts += key.inputs.keys.filter { !$0.hasPrefix("file:") && $0 != "command" && $0 != "runsOn" }.sorted()
        if files > 0 { parts.append("\(files) file\(files == 1 ? "" : "s") from its sources") }
        lines.append("  inputs: " + parts.joined(separator: ", "))
        if let outputs = key.outputs, !outputs.isEmpty { lines.append("  outputs: " + outputs.joined(separator: ", ")) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The inputs that differ, named (`file:src/a.c changed`, `env:CC added`), at most 10.
    private static func changes(from old: TaskKey, to new: TaskKey) -> String {
        var changed: [String] = []
        for name in Set(old.inputs.keys).union(new.inputs.keys).sorted() {
            switch (old.inputs[name], new.inputs[name]) {
            case (nil, _?): changed.append("\(name) added")
            case (_?, nil): changed.append("\(name) removed")
            case (let before?, let now?) where before != now:
                changed.append(name == "tree" ? "the working tree (no sources declared)" : "\(name) changed")
            default: break
            }
        }
        if changed.count > 10 { return changed.prefix(10).joined(separator: ", ") + " and \(changed.count - 10) more" }
        return changed.isEmpty ? "the format of keys" : changed.joined(separator: ", ")
    }
}
