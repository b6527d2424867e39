package import AutomationsCache
package import AutomationsConfig
package import AutomationsModel
import Foundation

/// Where the changes that select the tasks come from.
package enum ChangeSource: Sendable, Equatable {
    /// `--changed-since REF`.
    case since(String)
    /// `--changed-files PATH|-`.
    case files(String)
    /// `--changed-by-push REMOTE`: the pre-push hook's input on standard input.
    case push(remote: String)

    /// How the console and `nothing to run` name them.
    var name: String {
        switch self {
        case .since(let reference): "the changes since \(reference)"
        case .files(let path): path == "-" ? "the files listed on standard input" : "the files listed in \(path)"
        case .push(let remote): "the push to \(remote)"
        }
    }
}

/// What the changes decided for a plan.
package enum ChangeOutcome: Sendable {
    /// Every step with why it runs or not.
    case selected(ChangeSelection, name: String)
    /// Nothing runs at all (a push that adds no commit, a rebase or merge in progress with `--skip-during`).
    case nothing(String)
}

extension ChangeOutcome {
    /// For `plan`: how many steps run, then each step with why it runs or not.
    package func explanation(of plan: ExecutionPlan) -> String {
        switch self {
        case .nothing(let reason):
            return reason + "\n"
        case .selected(let selection, let name):
            let width = plan.steps.map(\.reference.count).max() ?? 0
            let runs = plan.steps.filter { selection.reasons[$0.reference]?.runs == true }.count
            var text = "\(name): \(runs) of \(plan.stepCount) step\(plan.stepCount == 1 ? "" : "s") run\n"
            for step in plan.steps {
                let padding = String(repeating: " ", count: width - step.reference.count)
                text += "  \(step.reference)\(padding)  \(selection.reasons[step.reference]?.description ?? "runs")\n"
            }
            return text
        }
    }
}

/// Reads the changes (git, a list, a push) and selects the plan's steps by them.
package struct ChangeScope: Sendable {
    package var loaded: LoadedAutomationsFile
    package var workingDirectory: String
    package var invocationDirectory: String
    package var environment: [String: String]

    package init(
        loaded: LoadedAutomationsFile,
        workingDirectory: String,
        invocationDirectory: String,
        environment: [String: String]
    ) {
        self.loaded = loaded
        self.workingDirectory = workingDirectory
        self.invocationDirectory = invocationDirectory
        self.environment = environment
    }

    /// `nil` when there is no source and nothing to skip.
    package func outcome(
        for plan: ExecutionPlan,
        source: ChangeSource?,
        skipDuring: Set<String>
    ) async throws(RunSetupError) -> ChangeOutcome? {
        let files = ChangedFiles(root: workingDirectory, environment: environment)
        if let operation = await files.operationInProgress(), skipDuring.contains(operation) {
            return .nothing("nothing to run: a \(operation) is in progress (skipped during \(operation))")
        }
        guard let source else { return nil }
        let changed: Set<String>
        do {
            switch source {
            case .since(let reference):
                changed = try await files.since(reference)
            case .files(let path):
                changed = ChangedFiles.list(try Self.readList(path, from: invocationDirectory))
            case .push(let remote):
                let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                let pushed = try await files.pushed(input, remote: remote)
                guard pushed.commits > 0 else {
                    return .nothing("nothing to run: the push adds no commit to \(remote)")
                }
                changed = pushed.paths
            }
        } catch {
            throw .changes(error)
        }
        let selection = ChangeSelection(
            plan: plan,
            file: loaded.file,
            settings: loaded.runner?.settings ?? RunnerSettings(),
            changed: changed,
            configuration: configurationFiles
        )
        return .selected(selection, name: source.name)
    }

    /// The automations and runner files, relative to the working directory (a change to either selects everything).
    private var configurationFiles: [String] {
        let base = workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/"
        return [loaded.path, loaded.runner?.path].compactMap { path in
            guard let path, path.hasPrefix(base) else { return nil }
            return String(path.dropFirst(base.count))
        }
    }

    private static func readList(_ path: String, from directory: String) throws(ChangeError) -> String {
        if path == "-" { return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) }
        guard let data = FileManager.default.contents(atPath: RunSetup.absolute(path, from: directory)) else {
            throw .unreadableList(path)
        }
        return String(decoding: data, as: UTF8.self)
    }
}

extension RunSetup {
    /// Selects the tasks by the changes (when asked): the steps they leave out are skipped with their reason, or the
    /// plan is emptied (a push that adds no commit, a rebase or merge in progress with `--skip-during`).
    package mutating func selectByChanges() async throws(RunSetupError) {
        let scope = ChangeScope(
            loaded: loaded,
            workingDirectory: workingDirectory,
            invocationDirectory: configuration.invocationDirectory,
            environment: environment
        )
        let start = ContinuousClock.now
        // The runner file's skipDuring applies to pre-push checks; --skip-during to any run.
        var skipDuring = configuration.skipDuring
        if case .push? = configuration.changes { skipDuring.formUnion(loaded.runner?.settings.skipDuring ?? []) }
        let outcome = try await scope.outcome(for: plan, source: configuration.changes, skipDuring: skipDuring)
        DebugTiming.report("changes read and selected", since: start)
        switch outcome {
        case nil:
            return
        case .nothing(let reason):
            plan = ExecutionPlan(groups: [])
            emptyPlanReason = reason
        case .selected(let selection, let name):
            changeSelection = selection
            changesName = name
            if selection.selectsNothing { nothingSelected = "nothing to run: no task is affected by \(name)" }
        }
    }
}
