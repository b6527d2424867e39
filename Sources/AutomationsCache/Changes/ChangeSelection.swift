package import AutomationsModel

/// Which tasks the changed paths select (`--changed-since`, `--changed-files`, a push): a task whose sources match
/// a changed path, or that depends on a selected task; a task without sources always. A change to the automations
/// file or the runner file selects everything. What the selected tasks need comes along; every other step is left
/// out with its reason.
package struct ChangeSelection: Sendable {
    /// Why a task runs or not.
    package enum Reason: Sendable, Equatable {
        /// No sources declared: it may read anything.
        case noSources
        /// A changed path matched one of its globs.
        case matched(path: String, glob: String)
        /// A task it depends on was selected.
        case dependencySelected(String)
        /// The automations file or the runner file changed: everything is selected.
        case configurationChanged(String)
        /// Not selected, but a selected task needs it.
        case neededBy(String)
        /// Nothing it reads changed.
        case unaffected(patterns: [String])

        package var runs: Bool {
            if case .unaffected = self { return false }
            return true
        }

        package var description: String {
            switch self {
            case .noSources: "runs: it declares no sources"
            case .matched(let path, let glob): "runs: \(path) changed (matches \(glob))"
            case .dependencySelected(let reference): "runs: it depends on '\(reference)', which runs"
            case .configurationChanged(let path): "runs: \(path) changed (everything runs)"
            case .neededBy(let reference): "runs: '\(reference)' needs it"
            case .unaffected(let patterns): SkipReason.unaffected(patterns: patterns).description
            }
        }
    }

    /// Each step of the plan, by reference.
    package var reasons: [String: Reason] = [:]

    /// The steps left out, with the reason the reports give.
    package var skipped: [String: SkipReason] {
        reasons.compactMapValues { reason in
            guard case .unaffected(let patterns) = reason else { return nil }
            return .unaffected(patterns: patterns)
        }
    }

    package var selectsNothing: Bool { !reasons.values.contains { $0.runs } }

    /// `changed`: paths relative to the working directory; `configuration`: the automations and runner files' paths
    /// relative to it.
    package init(
        plan: ExecutionPlan,
        file: AutomationsFile,
        settings: RunnerSettings,
        changed: Set<String>,
        configuration: [String]
    ) {
        if let path = configuration.first(where: changed.contains) {
            for step in plan.steps { reasons[step.reference] = .configurationChanged(path) }
            return
        }
        let sorted = changed.sorted()
        for step in plan.steps where step.kind == .task {
            guard let declared = settings.tasks[step.reference]?.sources else {
                reasons[step.reference] = .noSources
                continue
            }
            let patterns = settings.sources + declared
            let globs = patterns.map(Glob.init)
            if let hit = Self.firstMatch(sorted, globs) {
                reasons[step.reference] = .matched(path: hit.path, glob: hit.glob)
            } else if let selected = step.dependsOn.first(where: { reasons[$0]?.runs == true && file.task($0) != nil })
            {
                reasons[step.reference] = .dependencySelected(selected)
            } else {
                reasons[step.reference] = .unaffected(patterns: patterns)
            }
        }
        bringDependencies(plan)
    }

    /// What the selected tasks depend on comes along (dependents first, so that a chain is followed).
    private mutating func bringDependencies(_ plan: ExecutionPlan) {
        for step in plan.steps.reversed() where reasons[step.reference]?.runs == true {
            for dependency in step.dependsOn where reasons[dependency]?.runs != true {
                reasons[dependency] = .neededBy(step.reference)
            }
        }
        for step in plan.steps where reasons[step.reference] == nil {
            reasons[step.reference] = .unaffected(patterns: [])  // a service no selected task needs
        }
    }

    private static func firstMatch(_ paths: [String], _ globs: [Glob]) -> (path: String, glob: String)? {
        for path in paths {
            if let glob = globs.first(where: { $0.matches(path) }) { return (path, glob.pattern) }
        }
        return nil
    }
}
