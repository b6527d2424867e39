import AutomationsModel
import GitpodAPI

/// Between the file's trigger names and the API's `AutomationTrigger` messages.
enum TriggerConversion {
    /// The API trigger for a file trigger name; `nil` for a name the file format does not allow.
    static func trigger(named name: String) -> Gitpod_V1_AutomationTrigger? {
        var trigger = Gitpod_V1_AutomationTrigger()
        switch name {
        case "manual": trigger.manual = true
        case "postEnvironmentStart": trigger.postEnvironmentStart = true
        case "postDevcontainerStart": trigger.postDevcontainerStart = true
        case "prebuild": trigger.prebuild = true
        default: return nil
        }
        return trigger
    }

    /// The runner's trigger of an API trigger (`postMachineStart` and `beforeSnapshot` have none locally).
    static func model(_ trigger: Gitpod_V1_AutomationTrigger) -> Trigger? {
        switch trigger.trigger {
        case .manual: .manual
        case .postEnvironmentStart: .postEnvironmentStart
        case .postDevcontainerStart: .postDevcontainerStart
        case .prebuild: .prebuild
        default: nil
        }
    }
}
