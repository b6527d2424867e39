/// The phases of a service (spec section 2), named as the public API names them.
public enum ServicePhase: String, Sendable, Hashable, CaseIterable {
    case unspecified = "SERVICE_PHASE_UNSPECIFIED"
    case starting = "SERVICE_PHASE_STARTING"
    case running = "SERVICE_PHASE_RUNNING"
    case stopping = "SERVICE_PHASE_STOPPING"
    case stopped = "SERVICE_PHASE_STOPPED"
    case failed = "SERVICE_PHASE_FAILED"
    case deleted = "SERVICE_PHASE_DELETED"

    /// The phase in lower case without the prefix, for people: `running`.
    public var shortName: String {
        String(rawValue.dropFirst("SERVICE_PHASE_".count)).lowercased()
    }

    /// STOPPED, FAILED or DELETED: nothing of the service runs any more.
    public var isFinal: Bool { self == .stopped || self == .failed || self == .deleted }
}
