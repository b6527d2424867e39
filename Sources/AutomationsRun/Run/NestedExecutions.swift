import AutomationsModel
import AutomationsRuntime

/// Tasks started from inside a run (`gitpod automations task start REF`) execute their plan in the same run, with
/// the services already up. The run reports their task steps like its own, as `REF@N` for the run's N-th nested
/// execution, so that a task that also ran in the run's plan keeps its own log and report entry.
enum NestedExecutions {
    static func reference(_ reference: String, execution number: Int) -> String { "\(reference)@\(number)" }

    /// The task steps of nested execution `number`, renamed, in their plan's order.
    static func steps(of report: ExecutionReport, number: Int) -> [StepReport] {
        report.steps.filter { $0.step.kind == .task }.map { step in
            var step = step
            step.step = renamed(step.step, number: number)
            return step
        }
    }

    static func renamed(_ step: PlanStep, number: Int) -> PlanStep {
        var step = step
        step.reference = reference(step.reference, execution: number)
        step.dependsOn = step.dependsOn.map { reference($0, execution: number) }
        return step
    }
}

/// What the run's console, logs and reports see of nested execution N: its task steps, renamed. Its service steps
/// are the run's services (reported once, by their supervisors), and its own stop is not the run's.
struct NestedExecutionObserver: RuntimeObserver {
    let number: Int
    let downstream: any RuntimeObserver

    func record(_ event: RuntimeEvent) {
        switch event {
        case .stepStarted(let step, let at) where step.kind == .task:
            downstream.record(.stepStarted(NestedExecutions.renamed(step, number: number), at: at))
        case .stepFinished(let report) where report.step.kind == .task:
            var report = report
            report.step = NestedExecutions.renamed(report.step, number: number)
            downstream.record(.stepFinished(report))
        default:
            break
        }
    }

    func output(from source: OutputSource, stream: OutputStreamKind, bytes: UnsafeRawBufferPointer) {
        guard source.kind == .task else { return }
        var source = source
        source.reference = NestedExecutions.reference(source.reference, execution: number)
        downstream.output(from: source, stream: stream, bytes: bytes)
    }
}

extension ExecutionReport {
    /// The run's report with what happened through its API: nested executions' task steps, services started
    /// besides the plan (as service steps), and the ports opened.
    func including(
        nested: [(number: Int, report: ExecutionReport)],
        services extra: [ServiceReport],
        ports: [OpenedPort]
    ) -> ExecutionReport {
        var merged = self
        for (number, report) in nested { merged.steps += NestedExecutions.steps(of: report, number: number) }
        for service in extra {
            var step = StepReport(
                step: PlanStep(reference: service.reference, kind: .service, group: plan.groups.count, dependsOn: [])
            )
            // Its step lasted, as a planned service's does, from its start until it was ready (or ended).
            step.startedAt = service.startedAt
            step.completedAt = service.readyAt ?? service.endedAt
            if service.readyAt != nil {
                step.phase = .succeeded
            } else {
                step.phase = .failed
                step.failure = .serviceNotReady(service.failure, phase: service.phase)
            }
            merged.steps.append(step)
            merged.services.append(service)
        }
        merged.ports = ports
        return merged
    }
}
