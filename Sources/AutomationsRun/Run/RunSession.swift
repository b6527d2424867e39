import AutomationsAPI
import AutomationsCache
import AutomationsClient
import AutomationsConfig
package import AutomationsModel
package import AutomationsReports
import AutomationsRuntime
import Foundation

/// One run: wires the executor, the console, the logs, signals and the timeout, runs the plan, then writes the
/// reports. It prints only the live console (steps as they start, their output, the status line); what comes after
/// (the inner tests found, the summary, problems) is in the returned ``RunOutcome`` for the caller to print.
package struct RunSession: Sendable {
    package let setup: RunSetup

    package init(_ setup: RunSetup) {
        self.setup = setup
    }

    private var configuration: RunConfiguration { setup.configuration }

    /// Runs the plan until it ends, is stopped by a signal or its timeout, and returns what happened.
    package func execute() async -> RunOutcome {
        ProcessRuntime.becomeSubreaper()
        let terminal = TerminalOutput.standardOutput
        let color = terminal.usesColor(configuration.colorMode)
        let warn: @Sendable (String) -> Void = { TerminalOutput.standardError.write("warning: \($0)\n") }
        let cache = await DebugTiming.measure("result cache keys and lookups") {
            await RunCache.prepare(setup, warn: warn)
        }
        let plan = cache?.decisions.trimmed(setup.plan) ?? setup.plan
        let warmInputs = await readWarmInputs(tree: cache?.tree)
        let history = await DebugTiming.measure("history read for the plan") {
            await HistoryHints.load(setup, plan: plan)
        }
        let console = await makeConsole(
            plan,
            cached: Set(cache?.hits.keys ?? [:].keys),
            warmInputs: warmInputs,
            history: history,
            color: color,
            terminal: terminal
        )
        let masker = SecretMasker(secrets: setup.secrets, downstream: ObserverFanOut([setup.logs, console]))
        let runID = UUID().uuidString.lowercased()
        let watchdog = RunWatchdog(
            runID: runID,
            executable: ProcessRuntime.ownExecutable,
            arguments: ["__watchdog", runID]
        )
        var wiring = await CommandWiring.make(for: setup, runID: runID, observer: masker, warmInputs: warmInputs)
        if let cache, !cache.hits.isEmpty {
            wiring.options.cachedTask = { reference in cache.restore(reference, warn: warn) }
        }
        wiring.options.preSkipped = setup.changeSelection?.skipped ?? [:]
        wiring.options.quarantine = Quarantine(setup.loaded.runner?.settings ?? RunnerSettings())
        defer { wiring.removePrivateFolder() }
        let executor = PlanExecutor(
            file: setup.loaded.file,
            plan: plan,
            options: wiring.options,
            observer: masker
        )
        let stops = StopTriggers(executor: executor, api: wiring.api, timeout: configuration.timeout)
        defer { stops.cancel() }
        announce(plan, cache: cache, on: terminal)
        var report = await ProcessRuntime.onIOThread { await executor.run() }
        if let api = wiring.api {
            let planServices = Set(plan.steps.filter { $0.kind == .service }.map(\.reference))
            let through = await api.finish(planServices: planServices)
            report = report.including(nested: through.nested, services: through.services, ports: through.ports)
        }
        report = masker.mask(report)
        masker.flush()
        stops.cancelTimeout()
        await watchdog?.finish()
        console.finish()
        setup.logs.close()
        let outcome = RunCompletion(setup: setup, cache: cache, history: history, color: color).outcome(of: report)
        return await recorded(outcome, cache: cache)
    }

    /// The outcome, once recorded in the history (a problem there is one more warning).
    private func recorded(_ outcome: RunOutcome, cache: RunCache?) async -> RunOutcome {
        var outcome = outcome
        let commit: String?
        if let cache {
            commit = cache.tree.commit
        } else {
            commit = await GitHead.commit(in: setup.workingDirectory, environment: setup.environment)
        }
        outcome.messages += await DebugTiming.measure("run recorded in the history") {
            await RunRecording.record(outcome, setup: setup, keys: cache?.keys ?? [:], commit: commit)
        }
        return outcome
    }

    /// A warm check: the inputs each service of `serve` was started with, to restart a stale one.
    private func readWarmInputs(tree: WorkingTree?) async -> WarmInputs? {
        guard configuration.warmServer != nil else { return nil }
        return await DebugTiming.measure("warm inputs compared") {
            await WarmInputs.read(
                loaded: setup.loaded,
                root: setup.workingDirectory,
                environment: setup.environment,
                cacheFolder: configuration.cache.folder,
                tree: tree
            )
        }
    }

    private func makeConsole(
        _ plan: ExecutionPlan,
        cached: Set<String>,
        warmInputs: WarmInputs?,
        history: [String: StepHistory],
        color: Bool,
        terminal: TerminalOutput
    ) async -> ConsoleReporter {
        var consoleConfiguration = ConsoleReporter.Configuration(
            mode: setup.consoleMode,
            color: color,
            githubActions: setup.ci.githubActions,
            statusLine: terminal.isTerminal && setup.consoleMode != .quiet
        )
        consoleConfiguration.gitlabCI = setup.ci.gitlabCI
        consoleConfiguration.definitions = setup.definitionLocations
        consoleConfiguration.cached = cached
        consoleConfiguration.history = history
        if let warm = configuration.warmServer {
            // A stale one is restarted: its step starts it again.
            consoleConfiguration.alreadyRunning = await ServerEnvironment.runningServices(of: warm).filter {
                warmInputs?.staleness(of: $0) == nil
            }
        }
        return ConsoleReporter(configuration: consoleConfiguration, plan: plan, logs: setup.logs)
    }

    /// The first line: how many steps in how many groups, or why there is nothing to run.
    private func announce(_ plan: ExecutionPlan, cache: RunCache?, on terminal: TerminalOutput) {
        let file = setup.loaded.displayPath
        if let nothingToRun = setup.nothingToRun {
            terminal.write("automations: \(file): \(nothingToRun)\n")
        } else if setup.consoleMode != .quiet {
            let count = plan.stepCount
            let groups = plan.groups.count
            var line =
                "automations: \(file): \(count) step\(count == 1 ? "" : "s") in \(groups) group\(groups == 1 ? "" : "s")"
            if let selection = setup.changeSelection, let name = setup.changesName {
                let skipped = selection.skipped.count
                line += " (\(name): \(count - skipped) selected, \(skipped) unaffected)"
            }
            if let cache, !cache.hits.isEmpty {
                line += " (\(cache.hits.count) cached"
                let unneeded = cache.unneededServices.count
                if unneeded > 0 { line += "; \(unneeded) service\(unneeded == 1 ? "" : "s") not needed" }
                line += ")"
            }
            terminal.write(line + "\n")
        }
    }
}

/// What a run ends with: its report (secrets masked), what is left to print, and the exit status.
package struct RunOutcome: Sendable {
    package var report: ExecutionReport
    /// The tests each task ran, read from the JUnit files it wrote (`--collect-junit`).
    package var innerTests: [String: InnerTestResult]
    /// For standard output after the live console: the inner tests found, then the summary.
    package var output: String
    /// For standard error, one a line: `warning: …` and `error: …` (a report or log that could not be written).
    package var messages: [String]
    /// 0 success; 1 a step or service failed, the timeout passed, or a report or log was lost; 128+N a signal.
    package var exitStatus: Int32
}
