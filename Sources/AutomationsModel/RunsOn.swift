/// Where a command runs: on this machine or inside a container image.
public enum RunsOn: Sendable, Hashable {
    /// On this machine (also the meaning of an absent `runsOn`).
    case machine
    /// Inside `image`, with extra `KEY=VALUE` environment entries.
    case docker(image: String, environment: [String])
}
