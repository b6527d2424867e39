import AutomationsModel

// Between the model's enums and the API's: triggers, roles and phases.

extension Gitpod_V1_AutomationTrigger {
    /// The API trigger of a file trigger.
    package init(_ trigger: Trigger) {
        self.init()
        switch trigger {
        case .manual: manual = true
        case .postEnvironmentStart: postEnvironmentStart = true
        case .postDevcontainerStart: postDevcontainerStart = true
        case .prebuild: prebuild = true
        }
    }

    /// The runner's trigger (`postMachineStart` and `beforeSnapshot` have none locally).
    package var model: Trigger? {
        switch trigger {
        case .manual: .manual
        case .postEnvironmentStart: .postEnvironmentStart
        case .postDevcontainerStart: .postDevcontainerStart
        case .prebuild: .prebuild
        default: nil
        }
    }
}

extension Gitpod_V1_ServiceRole {
    /// The API role of a file role.
    package init(_ role: ServiceRole) {
        switch role {
        case .unspecified: self = .unspecified
        case .default: self = .default
        case .editor: self = .editor
        case .aiAgent: self = .aiAgent
        }
    }
}

extension Gitpod_V1_ServicePhase {
    /// The API phase of a supervisor's phase.
    package init(_ phase: ServicePhase) {
        switch phase {
        case .unspecified: self = .unspecified
        case .starting: self = .starting
        case .running: self = .running
        case .stopping: self = .stopping
        case .stopped: self = .stopped
        case .failed: self = .failed
        case .deleted: self = .deleted
        }
    }
}

extension ServicePhase {
    /// The model phase of an API phase (an unknown value reads as unspecified).
    package init(_ phase: Gitpod_V1_ServicePhase) {
        switch phase {
        case .starting: self = .starting
        case .running: self = .running
        case .stopping: self = .stopping
        case .stopped: self = .stopped
        case .failed: self = .failed
        case .deleted: self = .deleted
        default: self = .unspecified
        }
    }
}

extension Gitpod_V1_TaskExecutionPhase {
    /// The API phase of an execution's or a step's phase.
    package init(_ phase: ExecutionPhase) {
        switch phase {
        case .pending: self = .pending
        case .running: self = .running
        case .succeeded: self = .succeeded
        case .failed: self = .failed
        case .stopped: self = .stopped
        }
    }
}
