import AutomationsCache
import AutomationsRuntime
import Foundation

/// The inputs of each task's last hit or store, kept on this machine, so that `plan --explain` can say which input
/// changed since.
struct ManifestStore: Sendable {
    let folder: String
    let root: String

    init(folder: String, root: String) {
        self.folder = folder + "/manifests"
        self.root = root
    }

    private func path(_ reference: String) -> String {
        folder + "/" + ContentDigest(of: root + "\0" + reference).hash + ".json"
    }

    func record(_ key: TaskKey) {
        guard let data = try? JSONEncoder().encode(key) else { return }
        try? AtomicFile.createFolder(containing: path(key.reference))
        try? AtomicFile.write(Array(data), to: path(key.reference))
    }

    func last(_ reference: String) -> TaskKey? {
        guard let data = FileManager.default.contents(atPath: path(reference)) else { return nil }
        return try? JSONDecoder().decode(TaskKey.self, from: data)
    }
}
