public import AutomationsModel
public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Executes a plan (spec section 3): groups in order, the steps of a group concurrently, services brought up by
/// their steps and all stopped at the end; a failure stops later groups unless `keepGoing`; a stop (signal,
/// timeout) ends running tasks with SIGTERM and the grace period, then stops the services.
public actor PlanExecutor {
    private let file: AutomationsFile
    private let plan: ExecutionPlan
    private let options: ExecutionOptions
    private let observer: any RuntimeObserver

    private let tasks: [String: TaskDefinition]
    private let services: [String: ServiceDefinition]
    private var reports: [String: StepReport] = [:]
    private var supervisors: [String: ServiceSupervisor] = [:]
    /// Services this run uses but does not own: never stopped by it, but reported.
    private var sharedSupervisors: [String: ServiceSupervisor] = [:]
    private var runningTasks: [String: RunningCommand] = [:]
    private var killedAfterGrace: Set<String> = []
    private var stopReason: StopReason?
    private var killEverythingRequested = false
    /// Steps waiting for a shared service, woken by a stop request.
    private var stopWaiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    private var nextStopWaiter: UInt64 = 0
    /// The first failure that keeps later groups from starting.
    private var blockingFailure: String?

    public init(file: AutomationsFile, plan: ExecutionPlan, options: ExecutionOptions, observer: any RuntimeObserver) {
        self.file = file
        self.plan = plan
        self.tasks = Dictionary(file.tasks.map { ($0.reference, $0) }, uniquingKeysWith: { first, _ in first })
        self.services = Dictionary(file.services.map { ($0.reference, $0) }, uniquingKeysWith: { first, _ in first })
        self.options = options
        self.observer = observer
    }

    // MARK: - Running

    /// Runs the plan to its end and stops every service it started; nothing it started is left running.
    public func run() async -> ExecutionReport {
        let startedAt = Date()
        for step in plan.steps { reports[step.reference] = StepReport(step: step) }
        for group in plan.groups {
            var runnable: [PlanStep] = []
            for step in group {
                if let reason = skipReason(for: step) {
                    skip(step, reason: reason)
                } else {
                    runnable.append(step)
                }
            }
            if runnable.count == 1 {
                await execute(runnable[0])
            } else {
                await withTaskGroup(of: Void.self) { tasks in
                    for step in runnable {
                        tasks.addTask(executorPreference: globalConcurrentExecutor) { await self.execute(step) }
                    }
                }
            }
        }
        await stopServices()
        if options.sweepsAtEnd {
            await ProcessRuntime.sweepEscapedProcesses()
            if let runID = options.runID {
                RunWatchdog.killMarked(runID: runID, sparing: [getpid()])
            }
        }
        var serviceReports: [ServiceReport] = []
        for step in plan.steps where step.kind == .service {
            guard let supervisor = supervisors[step.reference] ?? sharedSupervisors[step.reference] else { continue }
            serviceReports.append(await supervisor.reportSnapshot())
        }
        return report(startedAt: startedAt, services: serviceReports)
    }

    /// Stops the run: running tasks get SIGTERM and the task grace period, services that are starting are
    /// stopped, steps not started are not run. Services are stopped when the running steps have ended.
    public func stop(_ reason: StopReason) async {
        guard stopReason == nil else { return }
        stopReason = reason
        observer.record(.stopping(reason, at: Date()))
        for waiter in stopWaiters.values { waiter.resume() }
        stopWaiters.removeAll()
        await withTaskGroup(of: Void.self) { tasks in
            for reference in runningTasks.keys {
                tasks.addTask { await self.stopTask(reference) }
            }
            for supervisor in supervisors.values where await supervisor.phase == .starting {
                tasks.addTask { await supervisor.stop() }
            }
        }
    }

    /// Kills every process of the run at once (a second Ctrl-C): no grace periods any more.
    public func killEverything() async {
        killEverythingRequested = true
        for (reference, command) in runningTasks {
            killedAfterGrace.insert(reference)
            command.signalGroup(SIGKILL)
        }
        for supervisor in supervisors.values {
            await supervisor.killNow()
        }
    }

    // MARK: - Steps

    private func skipReason(for step: PlanStep) -> String? {
        if let stopReason { return "not run: \(stopReason)" }
        for dependency in step.dependsOn {
            switch reports[dependency]?.phase {
            case .succeeded: continue
            case .failed: return "dependency '\(dependency)' failed"
            case .stopped: return "dependency '\(dependency)' was stopped"
            default: return "dependency '\(dependency)' did not run"
            }
        }
        if !options.keepGoing, let blockingFailure {
            return "not run: '\(blockingFailure)' failed in an earlier group"
        }
        return nil
    }

    private func isWarningOnly(_ step: PlanStep) -> Bool {
        guard options.isPrebuild else { return false }
        return !(step.kind == .task && tasks[step.reference]?.prebuildRequiresSuccess == true)
    }

    private func skip(_ step: PlanStep, reason: String) {
        reports[step.reference]?.skipReason = reason
        reports[step.reference]?.isWarning = isWarningOnly(step)
        observer.record(.stepFinished(reports[step.reference]!))
    }

    /// Runs one step. Only bookkeeping is actor-isolated: spawning and waiting run outside the actor, so the steps of a
    /// group start in parallel.
    nonisolated private func execute(_ step: PlanStep) async {
        guard await begin(step) else { return }
        switch step.kind {
        case .task: await runTask(step.reference)
        case .service: await executeService(step.reference)
        }
        await end(step)
    }

    /// Marks the step running, or not run when the run is being stopped; returns whether to run it.
    private func begin(_ step: PlanStep) -> Bool {
        if let reason = skipReason(for: step), stopReason != nil {
            skip(step, reason: reason)
            return false
        }
        let startedAt = Date()
        reports[step.reference]?.phase = .running
        reports[step.reference]?.startedAt = startedAt
        observer.record(.stepStarted(step, at: startedAt))
        return true
    }

    private func end(_ step: PlanStep) {
        reports[step.reference]?.completedAt = Date()
        if reports[step.reference]?.phase == .failed {
            reports[step.reference]?.isWarning = isWarningOnly(step)
            if !isWarningOnly(step) && blockingFailure == nil { blockingFailure = step.reference }
        }
        observer.record(.stepFinished(reports[step.reference]!))
    }

    private func finish(_ reference: String, _ phase: ExecutionPhase, failure: String? = nil, isError: Bool = false) {
        reports[reference]?.phase = phase
        reports[reference]?.failureMessage = failure
        reports[reference]?.isError = isError
    }

    nonisolated private func runTask(_ reference: String) async {
        let task = tasks[reference]!
        let command: RunningCommand
        do {
            let spec = try options.resolver.spec(for: task.command, runsOn: task.runsOn)
            command = try ProcessRuntime.start(
                spec,
                output: ObservedOutputSink(observer: observer, source: OutputSource(kind: .task, reference: reference))
            )
        } catch {
            await finish(reference, .failed, failure: "\(error)", isError: true)
            return
        }
        await started(reference, command)
        let result = await command.wait()
        await taskEnded(reference, result)
    }

    private func started(_ reference: String, _ command: RunningCommand) {
        runningTasks[reference] = command
        if stopReason != nil {
            // Stopped while it was being started: it gets the same treatment as the others.
            Task { await self.stopTask(reference) }
        }
    }

    private func taskEnded(_ reference: String, _ result: CommandResult) {
        runningTasks[reference] = nil
        reports[reference]?.termination = result.termination
        if killedAfterGrace.contains(reference) {
            let grace = DurationText.human(options.taskStopGracePeriod)
            let message =
                killEverythingRequested
                ? "killed: the run was interrupted twice" : "killed: still running \(grace) after SIGTERM"
            finish(reference, .failed, failure: message, isError: true)
        } else if result.wasStopped {
            finish(reference, .stopped, failure: "stopped: \(stopReason?.description ?? "run stopped")")
        } else if result.termination.isSuccess {
            finish(reference, .succeeded)
        } else {
            finish(reference, .failed, failure: "command \(result.termination)")
        }
    }

    private func stopTask(_ reference: String) async {
        guard let command = runningTasks[reference] else { return }
        command.signalGroup(SIGTERM)
        if await command.wait(upTo: options.taskStopGracePeriod) == nil {
            killedAfterGrace.insert(reference)
            command.signalGroup(SIGKILL)
        }
    }

    private func executeService(_ reference: String) async {
        let service = services[reference]!
        let resolver = options.resolver
        do {
            _ = try resolver.spec(for: "true", runsOn: service.runsOn)
        } catch {
            finish(reference, .failed, failure: "\(error)", isError: true)
            return
        }
        if let shared = await options.sharedService?(reference) {
            await settle(reference, supervisor: shared, owned: false)
            return
        }
        let supervisor =
            supervisors[reference]
            ?? ServiceSupervisor(
                definition: service,
                options: ServiceOptions(
                    stopGracePeriod: options.serviceStopGracePeriod,
                    probeSchedule: options.probeSchedule
                ) { command in
                    // Checked above: a service's commands all run where its start command runs.
                    (try? resolver.spec(for: command, runsOn: service.runsOn))
                        ?? CommandSpec(command: command, workingDirectory: resolver.workingDirectory, environment: [:])
                },
                observer: observer
            )
        supervisors[reference] = supervisor
        await settle(reference, supervisor: supervisor, owned: true)
    }

    /// Starts the service if it is not running and records how its step ends.
    private func settle(_ reference: String, supervisor: ServiceSupervisor, owned: Bool) async {
        if !owned { sharedSupervisors[reference] = supervisor }
        await supervisor.start()
        if stopReason != nil && owned { await supervisor.stop() }
        let phase: ServicePhase
        if owned {
            phase = await supervisor.waitUntilSettled()
        } else {
            // A shared service is not this run's to stop: a stop request ends the wait for it instead.
            let settled = await withTaskGroup(of: ServicePhase?.self) { group in
                group.addTask { await supervisor.waitUntilSettled() }
                group.addTask {
                    await self.waitForStopRequest()
                    return nil
                }
                let first = await group.next() ?? nil
                group.cancelAll()
                return first
            }
            if let settled {
                phase = settled
            } else {
                phase = await supervisor.phase
            }
        }
        if phase == .running {
            finish(reference, .succeeded)
        } else if stopReason != nil && (phase == .stopped || !owned) {
            finish(reference, .stopped, failure: "stopped: \(stopReason!)")
        } else {
            let message = await supervisor.failureMessage ?? "service \(phase.shortName) before it was ready"
            finish(reference, .failed, failure: message, isError: true)
        }
    }

    /// Returns when the run is asked to stop (at once if it was); a cancelled wait returns too.
    private func waitForStopRequest() async {
        guard stopReason == nil else { return }
        nextStopWaiter += 1
        let id = nextStopWaiter
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                if Task.isCancelled || stopReason != nil {
                    continuation.resume()
                } else {
                    stopWaiters[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.cancelStopWait(id) }
        }
    }

    private func cancelStopWait(_ id: UInt64) {
        stopWaiters.removeValue(forKey: id)?.resume()
    }

    private func stopServices() async {
        await withTaskGroup(of: Void.self) { tasks in
            for supervisor in supervisors.values {
                tasks.addTask { await supervisor.stop() }
            }
        }
    }

    // MARK: - The report

    private func report(startedAt: Date, services serviceReports: [ServiceReport]) -> ExecutionReport {
        let steps = plan.steps.map { reports[$0.reference]! }
        let anyFailure =
            steps.contains { $0.phase == .failed }
            || serviceReports.contains { $0.phase == .failed && !options.isPrebuild }
        let phase: ExecutionPhase
        if anyFailure {
            phase = .failed
        } else if stopReason != nil {
            phase = .stopped
        } else if steps.allSatisfy({ $0.phase == .succeeded }) {
            phase = .succeeded
        } else {
            phase = .failed
        }
        var report = ExecutionReport(
            plan: plan,
            phase: phase,
            startedAt: startedAt,
            completedAt: Date(),
            steps: steps,
            services: serviceReports,
            stopReason: stopReason
        )
        report.isPrebuild = options.isPrebuild
        return report
    }
}
