/// The role of a service in an environment (`role` in the file).
public enum ServiceRole: String, Sendable, Hashable, CaseIterable {
    case unspecified = ""
    case `default` = "default"
    case editor = "editor"
    case aiAgent = "ai-agent"
}
