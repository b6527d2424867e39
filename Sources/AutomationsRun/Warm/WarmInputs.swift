import AutomationsCache
import AutomationsConfig
import AutomationsModel
import AutomationsRuntime
import Foundation
import Synchronization

/// The inputs each warm service was started with, kept on this machine beside the result cache (one file per
/// repository), and the inputs now: a service whose inputs changed since it started is restarted before a check uses
/// it, so that a pre-push check tests what is pushed.
final class WarmInputs: Sendable {
    private let path: String
    /// Each service's inputs now.
    private let current: [String: TaskKey]
    private let records: Mutex<[String: TaskKey]>

    private init(path: String, current: [String: TaskKey], records: [String: TaskKey]) {
        self.path = path
        self.current = current
        self.records = Mutex(records)
    }

    /// The inputs of the file's services now, and those recorded when they started; `tree`: the working tree when the
    /// run has already read it (for its result cache), else it is read here.
    static func read(
        loaded: LoadedAutomationsFile,
        root: String,
        environment: [String: String],
        cacheFolder: String?,
        tree known: WorkingTree? = nil
    ) async -> WarmInputs {
        let folder = cacheFolder ?? LocalStore.defaultFolder(environment: environment)
        let tree: WorkingTree
        if let known {
            tree = known
        } else {
            tree = await WorkingTree.read(
                root: root,
                excluding: [Glob(".automations/**")],
                cacheFolder: folder,
                environment: environment
            )
        }
        let keys = TaskKeys(
            file: loaded.file,
            settings: loaded.runner?.settings ?? RunnerSettings(),
            tree: tree,
            userEnvironment: [:],
            environment: environment
        )
        var current: [String: TaskKey] = [:]
        for service in loaded.file.services { current[service.reference] = keys.serviceKey(of: service) }
        let path = folder + "/warm/" + ContentDigest(of: root).hash + ".json"
        let records =
            FileManager.default.contents(atPath: path).flatMap {
                try? JSONDecoder().decode([String: TaskKey].self, from: $0)
            }
            ?? [:]
        return WarmInputs(path: path, current: current, records: records)
    }

    /// Why the running service is stale (`src/app.py changed since it started`), `nil` when its inputs are those it
    /// started with, or were never recorded.
    func staleness(of reference: String) -> String? {
        guard let now = current[reference], now.key != nil, let then = records.withLock({ $0[reference] }),
            then.key != nil, then.key != now.key
        else {
            return nil
        }
        let changes = TaskKeys.changes(from: then, to: now)
        let shown =
            changes.prefix(3).joined(separator: ", ") + (changes.count > 3 ? " and \(changes.count - 3) more" : "")
        return shown + " since it started"
    }

    /// Records the inputs the service runs with now.
    func record(_ reference: String) {
        guard let now = current[reference], now.key != nil else { return }
        let data: Data? = records.withLock { records in
            guard records[reference]?.key != now.key else { return nil }
            records[reference] = now
            return try? JSONEncoder().encode(records)
        }
        guard let data else { return }
        try? AtomicFile.createFolder(containing: path)
        try? AtomicFile.write(Array(data), to: path)
    }

    /// Records every service's inputs now (`serve` at its start).
    func recordAll() {
        for reference in current.keys { record(reference) }
    }
}
