package import AutomationsModel

/// What went into one task's key, input by input (`name → value or digest`), and the key itself.
package struct TaskKey: Sendable, Equatable, Codable {
    package var reference: String
    /// `nil`: the task is not cached (`cache: false`, or no sources outside a git repository), with ``reason``.
    package var key: String?
    package var reason: String?
    /// Each input by name: `command`, `runsOn`, `env:NAME`, `--env:NAME`, `service:REF`, `dependency:REF`,
    /// `file:PATH`, `tree`.
    package var inputs: [String: String]
    /// The declared outputs, to store and restore; `nil` when the runner file does not say.
    package var outputs: [String]?

    package init(reference: String, key: String?, reason: String?, inputs: [String: String], outputs: [String]?) {
        self.reference = reference
        self.key = key
        self.reason = reason
        self.inputs = inputs
        self.outputs = outputs
    }
}

/// Computes each task's key: a SHA-256 of its command and `runsOn`, the values of its variables and of every
/// `--env`/`--env-file` value, the definitions of the services it depends on, its dependencies' keys, and the
/// contents of its sources (without sources: the whole working tree as git sees it). The runner's own environment
/// is not in the key unless named.
package struct TaskKeys: Sendable {
    package static let formatVersion = "automations-result-cache-1"

    let file: AutomationsFile
    let settings: RunnerSettings
    let tree: WorkingTree
    /// The variables given with `--env` and `--env-file`.
    let userEnvironment: [String: String]
    /// Everything commands get (for the values of the named variables).
    let environment: [String: String]

    package init(
        file: AutomationsFile,
        settings: RunnerSettings,
        tree: WorkingTree,
        userEnvironment: [String: String],
        environment: [String: String]
    ) {
        self.file = file
        self.settings = settings
        self.tree = tree
        self.userEnvironment = userEnvironment
        self.environment = environment
    }

    /// The keys of the plan's tasks, dependencies first.
    package func keys(for plan: ExecutionPlan) -> [String: TaskKey] {
        var keys: [String: TaskKey] = [:]
        var treeDigest: String?
        for step in plan.steps where step.kind == .task {
            guard let task = file.task(step.reference) else { continue }
            keys[task.reference] = key(of: task, known: keys, treeDigest: &treeDigest)
        }
        return keys
    }

    private func key(of task: TaskDefinition, known: [String: TaskKey], treeDigest: inout String?) -> TaskKey {
        let declared = settings.inputs(ofTask: task.reference)
        var inputs: [String: String] = ["command": task.command, "runsOn": Self.describe(task.runsOn)]
        for name in Set(settings.environment + declared.environment) {
            inputs["env:" + name] = environment[name].map { ContentDigest(of: $0).hash } ?? "(unset)"
        }
        // Values as digests: the manifests kept for `plan --explain` hold no secret.
        for (name, value) in userEnvironment { inputs["--env:" + name] = ContentDigest(of: value).hash }
        var cacheable = declared.cache
        var reason: String? = declared.cache ? nil : "cache: false in the runner file"
        for dependency in task.dependsOn {
            if let service = file.service(dependency) {
                inputs["service:" + dependency] = Self.describe(service)
            } else if let upstream = known[dependency] {
                inputs["dependency:" + dependency] = upstream.key ?? "(not cached)"
                if upstream.key == nil, cacheable {
                    cacheable = false
                    reason = "it depends on '\(dependency)', which is not cached"
                }
            }
        }
        let globs = (settings.sources + (declared.sources ?? [])).map(Glob.init)
        for (path, identity) in tree.matching(globs) { inputs["file:" + path] = identity }
        if declared.sources == nil {
            if !tree.isGitRepository, cacheable {
                cacheable = false
                reason = "it declares no sources and the working directory is not in a git repository"
            }
            if treeDigest == nil { treeDigest = tree.digest }
            inputs["tree"] = treeDigest
        }
        var hasher = SHA256Hasher()
        hasher.update(Self.formatVersion + "\n")
        for (name, value) in inputs.sorted(by: { $0.key < $1.key }) {
            hasher.update("\(name.utf8.count):\(name)\(value.utf8.count):\(value)\n")
        }
        return TaskKey(
            reference: task.reference,
            key: cacheable ? hasher.finish() : nil,
            reason: reason,
            inputs: inputs,
            outputs: declared.outputs
        )
    }

    static func describe(_ runsOn: RunsOn) -> String {
        switch runsOn {
        case .machine: "machine"
        case .docker(let image, let environment): "docker:" + image + "\n" + environment.joined(separator: "\n")
        }
    }

    static func describe(_ service: ServiceDefinition) -> String {
        let commands = service.commands
        return [
            commands?.start ?? "", commands?.ready ?? "", commands?.stop ?? "", describe(service.runsOn),
            service.readinessTimeout.map { "\($0)" } ?? "", service.role.rawValue,
        ].joined(separator: "\n")
    }
}
