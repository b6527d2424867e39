/// A lifecycle event that starts services and tasks (`triggeredBy` in the file).
public enum Trigger: String, Sendable, Hashable, CaseIterable {
    case manual
    case postEnvironmentStart
    case postDevcontainerStart
    case prebuild
}
