extension AutomationsHost {
    /// The log file of a service or an execution, and whether it may still grow; `nil` for an unknown id.
    public func log(kind: String, id: String) async -> (path: String, live: Bool)? {
        switch kind {
        case "services":
            guard (try? await store.service(id)) != nil else { return nil }
            return (logs.path(service: id), await isActive(id))
        case "executions":
            guard executions[id] != nil else { return nil }
            return (logs.path(execution: id), executions.live(id) != nil)
        default:
            return nil
        }
    }
}
