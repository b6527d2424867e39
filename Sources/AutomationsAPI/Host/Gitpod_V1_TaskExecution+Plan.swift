import AutomationsModel
import Foundation
import GitpodAPI
import SwiftProtobuf

extension Gitpod_V1_TaskExecution {
    /// A running execution of task `taskID` whose spec is `plan`: its groups in order, each step named by its id
    /// (a service step by its service's id, a task step with the task's spec).
    init(
        id: String,
        taskID: String,
        environmentID: String,
        plan: ExecutionPlan,
        idOf: [String: String],
        tasks: [String: Gitpod_V1_Task]
    ) {
        self.init()
        self.id = id
        metadata.taskID = taskID
        metadata.environmentID = environmentID
        metadata.createdAt = Google_Protobuf_Timestamp(date: Date())
        metadata.startedAt = metadata.createdAt
        metadata.startedBy = "automations serve"
        spec.plan = plan.groups.map { group in
            var specGroup = Gitpod_V1_TaskExecutionSpec.Group()
            specGroup.steps = group.map { step in
                var specStep = Gitpod_V1_TaskExecutionSpec.Step()
                let stepID = idOf[step.reference] ?? step.reference
                specStep.id = stepID
                specStep.label = step.reference
                specStep.dependsOn = step.dependsOn.compactMap { idOf[$0] }
                if step.kind == .service {
                    specStep.serviceID = stepID
                } else {
                    var stepTask = Gitpod_V1_TaskExecutionSpec.Task()
                    stepTask.id = stepID
                    stepTask.spec = tasks[stepID]?.spec ?? Gitpod_V1_TaskSpec()
                    specStep.task = stepTask
                }
                return specStep
            }
            return specGroup
        }
        spec.desiredPhase = .running
        status.phase = .running
        status.statusVersion = 1
    }

    /// The steps' phases from their reports; steps without a report yet are PENDING.
    func steps(from reports: [String: StepReport], idOf: [String: String]) -> [Gitpod_V1_TaskExecutionStatus.Step] {
        spec.plan.flatMap(\.steps).map { specStep in
            if let report = reports[specStep.label] { return Gitpod_V1_TaskExecutionStatus.Step(report, idOf: idOf) }
            var step = Gitpod_V1_TaskExecutionStatus.Step()
            step.id = specStep.id
            step.phase = .pending
            return step
        }
    }
}

extension Gitpod_V1_TaskExecutionStatus.Step {
    /// A step's status from its report in a run.
    init(_ report: StepReport, idOf: [String: String]) {
        self.init()
        id = idOf[report.step.reference] ?? report.step.reference
        phase = Gitpod_V1_TaskExecutionPhase(report.phase)
        failureMessage = report.failureMessage ?? report.skipReason?.description ?? ""
    }
}
