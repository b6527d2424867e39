import AutomationsCache
import AutomationsConfig
import AutomationsModel
import AutomationsReports
import AutomationsRuntime
import Foundation

/// The result cache as one run uses it: the keys of its tasks, the hits it uses (restored instead of run), and the
/// successes it stores at its end.
final class RunCache: Sendable {
    let cache: ResultCache
    let keys: [String: TaskKey]
    let decisions: CacheDecisions
    let tree: WorkingTree
    let workingDirectory: String
    let manifests: ManifestStore
    let settings: CacheSettings

    private init(
        cache: ResultCache,
        keys: [String: TaskKey],
        decisions: CacheDecisions,
        tree: WorkingTree,
        workingDirectory: String,
        manifests: ManifestStore,
        settings: CacheSettings
    ) {
        self.cache = cache
        self.keys = keys
        self.decisions = decisions
        self.tree = tree
        self.workingDirectory = workingDirectory
        self.manifests = manifests
        self.settings = settings
    }

    var hits: [String: CachedResult] { decisions.hits }
    var unneededServices: Set<String> { decisions.unneededServices }

    /// Computes the keys and looks them up; `nil` with `--no-cache`.
    static func prepare(_ setup: RunSetup, warn: @escaping @Sendable (String) -> Void) async -> RunCache? {
        let configuration = setup.configuration
        let settings = configuration.cache
        guard settings.enabled else { return nil }
        let folder = settings.folder ?? LocalStore.defaultFolder(environment: configuration.processEnvironment)
        let remote = settings.remoteURL.flatMap { url -> RemoteStore? in
            guard let store = RemoteStore(url: url, token: settings.remoteToken, warn: warn) else {
                warn("--cache-url '\(url)' is not http://HOST[:PORT][/PREFIX]; the remote cache is not used")
                return nil
            }
            return store
        }
        let cache = ResultCache(
            local: LocalStore(folder: folder),
            remote: remote,
            readOnly: settings.readOnly,
            maxEntrySize: settings.maxEntrySize,
            warn: warn
        )
        let tree = await WorkingTree.read(
            root: setup.workingDirectory,
            excluding: excludedGlobs(setup),
            cacheFolder: folder,
            environment: setup.environment
        )
        let runner = configuration.loaded.runner?.settings ?? RunnerSettings()
        let keys = TaskKeys(
            file: configuration.loaded.file,
            settings: runner,
            tree: tree,
            userEnvironment: setup.userEnvironment,
            environment: setup.environment
        ).keys(for: setup.plan)
        var found: [String: CachedResult] = [:]
        for (reference, key) in keys {
            if let value = key.key, let result = cache.lookup(value) { found[reference] = result }
        }
        let decisions = CacheDecisions(
            plan: setup.plan,
            found: found,
            keys: keys,
            targets: Set(setup.selection.references),
            retries: configuration.retries
        )
        return RunCache(
            cache: cache,
            keys: keys,
            decisions: decisions,
            tree: tree,
            workingDirectory: setup.workingDirectory,
            manifests: ManifestStore(folder: folder, root: setup.workingDirectory),
            settings: settings
        )
    }

    /// What the tree key leaves out: the runner's own logs and reports, and what tasks write (their outputs, the
    /// JUnit files collected), which would otherwise change the key of every run.
    private static func excludedGlobs(_ setup: RunSetup) -> [Glob] {
        var globs = [Glob(".automations/**")]
        let root = setup.workingDirectory + "/"
        for path in [setup.junitPath, setup.jsonPath, setup.htmlPath, setup.logs.directory].compactMap(\.self)
        where path.hasPrefix(root) {
            globs.append(Glob(String(path.dropFirst(root.count))))
            globs.append(Glob(String(path.dropFirst(root.count)) + "/**"))
        }
        for inputs in setup.configuration.loaded.runner?.settings.tasks.values.map(\.self) ?? [] {
            globs += (inputs.outputs ?? []).map(Glob.init)
        }
        globs += setup.configuration.collectJUnit.map { Glob($0.glob) }
        return globs
    }
}
