public import AutomationsModel
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
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
    private var sharedSupervisors: [String: any ServiceHandle] = [:]
    private var runningTasks: [String: RunningCommand] = [:]
    /// Task commands whose first process exited while their group lived on (they may have ended since).
    private var leftRunning: [String: [RunningCommand]] = [:]
    /// Tasks killed at once by ``killEverything()``.
    private var killedAtOnce: Set<String> = []
    private var stopReason: StopReason?
    /// Steps waiting for a shared service, woken by a stop request.
    private let stopRequests = WaiterList<Void>()
    /// The first failure that keeps later groups from starting.
    private var blockingFailure: String?
    /// Task steps that may still start under `--jobs` (unlimited when the option is not set).
    private var freeTaskSlots: Int
    /// The group loop waiting for a task slot.
    private let slotFreed = WaiterList<Void>()
    /// Steps that have ended or were not run, by reference (steps waiting for their dependencies, `--schedule
    /// dependencies`).
    private let stepSettled = WaiterList<String>()
    /// Steps not run because a quarantined step failed (their own failure to run is a warning too).
    private var keptFromRunningByQuarantine: Set<String> = []

    public init(file: AutomationsFile, plan: ExecutionPlan, options: ExecutionOptions, observer: any RuntimeObserver) {
        self.file = file
        self.plan = plan
        self.tasks = Dictionary(file.tasks.map { ($0.reference, $0) }, uniquingKeysWith: { first, _ in first })
        self.services = Dictionary(file.services.map { ($0.reference, $0) }, uniquingKeysWith: { first, _ in first })
        self.options = options
        self.observer = observer
        self.freeTaskSlots = options.maxConcurrentTasks ?? .max
    }

    // MARK: - Running

    /// Runs the plan to its end and stops every service it started, and what its tasks left running; nothing it
    /// started is left running (with `sweepsAtEnd` off, what tasks left runs on: see ``processesLeftRunning``).
    public func run() async -> ExecutionReport {
        let startedAt = Date()
        for step in plan.steps { reports[step.reference] = StepReport(step: step) }
        if options.schedule == .dependencies {
            await runByDependencies()
        } else {
            await runByGroups()
        }
        if options.sweepsAtEnd {
            // What tasks left behind is stopped together with the services, and named in the report.
            async let servicesStopped: Void = stopServices()
            let left = await LeftBehindProcesses.stop(
                commands: leftRunning,
                taskSteps: Set(tasks.keys),
                runID: options.runID,
                grace: options.taskStopGracePeriod
            )
            for (reference, count) in left { reports[reference]?.processesLeftRunning = count }
            await servicesStopped
        } else {
            await stopServices()
        }
        await options.beforeFinalSweep?()
        if options.sweepsAtEnd {
            await ProcessRuntime.sweepEscapedProcesses()
            if let runID = options.runID {
                RunWatchdog.killMarked(runID: runID, sparing: [getpid()])
            }
        }
        var serviceReports: [ServiceReport] = []
        for step in plan.steps where step.kind == .service {
            guard let supervisor: any ServiceHandle = supervisors[step.reference] ?? sharedSupervisors[step.reference]
            else { continue }
            serviceReports.append(await supervisor.reportSnapshot())
        }
        return report(startedAt: startedAt, services: serviceReports)
    }

    /// Groups in order, the steps of a group concurrently (under `--jobs`, a task step starts when a slot is free).
    private func runByGroups() async {
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
                    // In reference order; under `--jobs` a task step starts when a slot is free.
                    for step in runnable {
                        let limited = step.kind == .task
                        if limited { await takeTaskSlot() }
                        tasks.addTask(executorPreference: globalConcurrentExecutor) {
                            await self.execute(step)
                            if limited { await self.returnTaskSlot() }
                        }
                    }
                }
            }
        }
    }

    /// `--schedule dependencies`: each step starts as soon as its own dependencies have ended (it runs when they
    /// succeeded), within `--jobs`; after a failure nothing new starts unless `--keep-going`.
    private func runByDependencies() async {
        await withTaskGroup(of: Void.self) { tasks in
            for step in plan.steps {
                tasks.addTask(executorPreference: globalConcurrentExecutor) {
                    await self.waitForDependencies(of: step)
                    guard await self.mayStart(step) else { return }
                    let limited = step.kind == .task
                    if limited { await self.takeTaskSlot() }
                    // A slot may have come after a failure or a stop.
                    guard await self.mayStart(step) else {
                        if limited { await self.returnTaskSlot() }
                        return
                    }
                    await self.execute(step)
                    if limited { await self.returnTaskSlot() }
                }
            }
        }
    }

    /// Waits until every dependency of `step` has ended or was not run.
    private func waitForDependencies(of step: PlanStep) async {
        for dependency in step.dependsOn {
            while !isSettled(dependency) {
                let ticket = stepSettled.register { $0 == dependency }
                _ = await stepSettled.wait(ticket)
            }
        }
    }

    private func isSettled(_ reference: String) -> Bool {
        guard let report = reports[reference] else { return true }
        return report.phase != .running && (report.phase != .pending || report.skipReason != nil)
    }

    /// Whether `step` may start now; when not, it is reported as not run with the reason.
    private func mayStart(_ step: PlanStep) -> Bool {
        guard reports[step.reference]?.phase == .pending, reports[step.reference]?.skipReason == nil else {
            return false
        }
        guard let reason = skipReason(for: step) else { return true }
        skip(step, reason: reason)
        return false
    }

    /// Stops the run: running tasks get SIGTERM and the task grace period, services that are starting are
    /// stopped, steps not started are not run. Services are stopped when the running steps have ended.
    public func stop(_ reason: StopReason) async {
        guard stopReason == nil else { return }
        stopReason = reason
        observer.record(.stopping(reason, at: Date()))
        stopRequests.resume(with: ())
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
        for (reference, command) in runningTasks {
            killedAtOnce.insert(reference)
            command.signalGroup(SIGKILL)
        }
        for command in leftRunning.values.joined() { command.signalGroup(SIGKILL) }
        for supervisor in supervisors.values {
            await supervisor.killNow()
        }
    }

    private func takeTaskSlot() async {
        while freeTaskSlots == 0 {
            let ticket = slotFreed.register()
            _ = await slotFreed.wait(ticket)
        }
        freeTaskSlots -= 1
    }

    private func returnTaskSlot() {
        freeTaskSlots += 1
        slotFreed.resume(with: ())
    }

    // MARK: - Steps

    private func skipReason(for step: PlanStep) -> SkipReason? {
        if let stopReason { return .runStopped(stopReason) }
        for dependency in step.dependsOn {
            switch reports[dependency]?.phase {
            case .succeeded: continue
            case .failed: return .dependencyFailed(dependency)
            case .stopped: return .dependencyStopped(dependency)
            default: return .dependencyNotRun(dependency)
            }
        }
        if !options.keepGoing, let blockingFailure {
            return options.schedule == .dependencies
                ? .anotherStepFailed(blockingFailure) : .earlierGroupFailed(blockingFailure)
        }
        return nil
    }

    private func isWarningOnly(_ step: PlanStep) -> Bool {
        if options.quarantine.entries[step.reference] != nil { return true }
        // What a quarantined failure keeps from running does not fail the run either.
        if step.dependsOn.contains(where: { reports[$0]?.quarantine != nil || keptFromRunningByQuarantine.contains($0) }
        ) {
            return true
        }
        guard options.isPrebuild else { return false }
        return !(step.kind == .task && tasks[step.reference]?.prebuildRequiresSuccess == true)
    }

    private func skip(_ step: PlanStep, reason: SkipReason) {
        reports[step.reference]?.skipReason = reason
        let warning = isWarningOnly(step)
        reports[step.reference]?.isWarning = warning
        if step.dependsOn.contains(where: { reports[$0]?.quarantine != nil || keptFromRunningByQuarantine.contains($0) }
        ) {
            keptFromRunningByQuarantine.insert(step.reference)
        }
        observer.record(.stepFinished(reports[step.reference]!))
        stepSettled.resume(with: step.reference)
    }

    /// Runs one step. Only bookkeeping is actor-isolated: spawning and waiting run outside the actor, so the steps of a
    /// group start in parallel.
    nonisolated private func execute(_ step: PlanStep) async {
        if let reason = options.preSkipped[step.reference] {
            await skip(step, reason: reason)
            return
        }
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
            if let entry = options.quarantine.entries[step.reference] {
                reports[step.reference]?.quarantine = QuarantineNote(entry)
            }
            let warning = isWarningOnly(step)
            reports[step.reference]?.isWarning = warning
            if !isWarningOnly(step) && blockingFailure == nil { blockingFailure = step.reference }
        }
        observer.record(.stepFinished(reports[step.reference]!))
        stepSettled.resume(with: step.reference)
    }

    private func finishCached(_ reference: String, _ hit: CacheHit) {
        reports[reference]?.phase = .succeeded
        reports[reference]?.cache = hit
    }

    private func finish(_ reference: String, _ phase: ExecutionPhase, failure: StepFailure? = nil) {
        reports[reference]?.phase = phase
        reports[reference]?.failure = failure
    }

    nonisolated private func runTask(_ reference: String) async {
        let task = tasks[reference]!
        let source = OutputSource(kind: .task, reference: reference)
        if let cached = await options.cachedTask?(reference) {
            let restored = OutputSource(kind: .task, reference: reference, part: .restored)
            cached.log.withUnsafeBytes { observer.output(from: restored, stream: .stdout, bytes: $0) }
            await finishCached(reference, cached.hit)
            return
        }
        let attempts = 1 + max(0, options.retries)
        for attempt in 1...attempts {
            let command: RunningCommand
            // Only an attempt that may be followed by another keeps its output's end, for the reports.
            let tail = attempt < attempts ? TailBuffer(capacity: 16 * 1024) : nil
            do {
                var spec = try options.resolver.spec(for: task.command, runsOn: task.runsOn)
                spec.step = reference
                let sink = ObservedOutputSink(observer: observer, source: source)
                // A single attempt may write its log itself (an attempt that may be retried keeps its output's end).
                let logFile = attempts == 1 ? options.taskLogFile.map { file in { file(reference) } } : nil
                command = try ProcessRuntime.start(
                    spec,
                    output: tail.map { TeeOutputSink(sinks: [sink, $0]) } ?? sink,
                    logFile: logFile
                )
            } catch {
                await finish(reference, .failed, failure: .couldNotStart(reason: "\(error)"))
                return
            }
            await started(reference, command)
            // The step ends when its command exits, as a CI step does; what it left in its group runs on.
            let result = await command.waitForFirstProcess()
            let retry = await taskEnded(reference, result, command: command, mayRetry: attempt < attempts)
            guard retry else { return }
            await recordFailedAttempt(reference, result: result, output: tail?.text ?? "")
            let delay = options.retryDelay > .zero ? " after \(DurationText.human(options.retryDelay))" : ""
            let separator =
                "── attempt \(attempt + 1) of \(attempts)\(delay) (attempt \(attempt): \(result.termination)) ──\n"
            Array(separator.utf8).withUnsafeBytes { observer.output(from: source, stream: .stdout, bytes: $0) }
            guard await waitBeforeRetry() else {
                await finishStoppedBeforeRetry(reference)
                return
            }
        }
    }

    /// Waits `--retry-delay` before the next attempt, or until the run is stopped; false when it was stopped.
    private func waitBeforeRetry() async -> Bool {
        let delay = options.retryDelay
        guard stopReason == nil else { return false }
        guard delay > .zero else { return true }
        let ticket = stopRequests.register()
        let requests = stopRequests
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: delay) }
            group.addTask { _ = await requests.wait(ticket) }
            await group.next()
            group.cancelAll()
        }
        stopRequests.withdraw(ticket)
        return stopReason == nil
    }

    private func finishStoppedBeforeRetry(_ reference: String) {
        finish(reference, .stopped, failure: .stopped(stopReason))
    }

    private func recordFailedAttempt(_ reference: String, result: CommandResult, output: String) {
        let attempt = FailedAttempt(
            failure: .commandEnded(result.termination),
            startedAt: result.startedAt,
            duration: result.duration,
            output: output
        )
        reports[reference]?.failedAttempts.append(attempt)
        reports[reference]?.phase = .running
        reports[reference]?.failure = nil
    }

    private func started(_ reference: String, _ command: RunningCommand) {
        runningTasks[reference] = command
        if stopReason != nil {
            // Stopped while it was being started: it gets the same treatment as the others.
            Task { await self.stopTask(reference) }
        }
    }

    /// Records how the task's command ended; returns true when it failed and may run again (`--retries`).
    private func taskEnded(
        _ reference: String,
        _ result: CommandResult,
        command: RunningCommand,
        mayRetry: Bool
    ) -> Bool {
        runningTasks[reference] = nil
        if command.result == nil { leftRunning[reference, default: []].append(command) }
        let ranAndFailed = !result.termination.isSuccess && !result.wasStopped && !killedAtOnce.contains(reference)
        if mayRetry && ranAndFailed && stopReason == nil { return true }
        reports[reference]?.termination = result.termination
        if killedAtOnce.contains(reference) {
            finish(reference, .failed, failure: .killedOnSecondInterrupt)
        } else if result.wasKilledAfterGracePeriod {
            finish(reference, .failed, failure: .killedAfterGracePeriod(options.taskStopGracePeriod))
        } else if result.wasStopped {
            finish(reference, .stopped, failure: .stopped(stopReason))
        } else if result.termination.isSuccess {
            finish(reference, .succeeded)
        } else {
            finish(reference, .failed, failure: .commandEnded(result.termination))
        }
        return false
    }

    private func stopTask(_ reference: String) async {
        guard let command = runningTasks[reference] else { return }
        _ = await command.stop(grace: options.taskStopGracePeriod)
    }

    private func executeService(_ reference: String) async {
        let service = services[reference]!
        do {
            _ = try options.resolver.spec(for: "true", runsOn: service.runsOn)
        } catch {
            finish(reference, .failed, failure: .couldNotStart(reason: "\(error)"))
            return
        }
        if let shared = await options.sharedService?(reference) {
            let owned = options.ownsSharedServices ? shared as? ServiceSupervisor : nil
            if let owned { supervisors[reference] = owned }
            await settle(reference, supervisor: shared, owned: owned != nil)
            return
        }
        let supervisor =
            supervisors[reference] ?? Self.makeSupervisor(for: service, options: options, observer: observer)
        supervisors[reference] = supervisor
        await settle(reference, supervisor: supervisor, owned: true)
    }

    /// The supervisor of a service of a run with these options: its commands run where its start command runs
    /// (`runsOn`), each marked with the service's reference.
    public static func makeSupervisor(
        for service: ServiceDefinition,
        options: ExecutionOptions,
        observer: any RuntimeObserver
    ) -> ServiceSupervisor {
        let resolver = options.resolver
        return ServiceSupervisor(
            definition: service,
            options: ServiceOptions(
                stopGracePeriod: options.serviceStopGracePeriod,
                probeSchedule: options.probeSchedule
            ) { command in
                // A `runsOn` that cannot be used fails the service's step before the supervisor is asked to start.
                var spec =
                    (try? resolver.spec(for: command, runsOn: service.runsOn))
                    ?? CommandSpec(command: command, workingDirectory: resolver.workingDirectory, environment: [:])
                spec.step = service.reference
                return spec
            },
            observer: observer
        )
    }

    /// Starts the service if it is not running and records how its step ends.
    private func settle(_ reference: String, supervisor: any ServiceHandle, owned: Bool) async {
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
            finish(reference, .stopped, failure: .stopped(stopReason))
        } else {
            finish(reference, .failed, failure: .serviceNotReady(await supervisor.failure, phase: phase))
        }
    }

    /// Returns when the run is asked to stop (at once if it was); a cancelled wait returns too.
    private func waitForStopRequest() async {
        guard stopReason == nil else { return }
        let ticket = stopRequests.register()
        _ = await stopRequests.wait(ticket)
    }

    private func stopServices() async {
        await withTaskGroup(of: Void.self) { tasks in
            for supervisor in supervisors.values {
                tasks.addTask { await supervisor.stop() }
            }
        }
    }

    /// Task commands that left processes running after they exited and that still run; with `sweepsAtEnd` off the
    /// caller owns them (a server stops them when it stops).
    public var processesLeftRunning: [RunningCommand] {
        leftRunning.values.joined().filter { $0.result == nil }
    }

    // MARK: - The report

    private func report(startedAt: Date, services serviceReports: [ServiceReport]) -> ExecutionReport {
        ExecutionReport(
            plan: plan,
            startedAt: startedAt,
            completedAt: Date(),
            steps: plan.steps.map { reports[$0.reference]! },
            services: serviceReports,
            stopReason: stopReason,
            isPrebuild: options.isPrebuild
        )
    }
}
