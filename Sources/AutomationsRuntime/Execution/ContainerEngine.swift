import AutomationsModel

/// Finds a working container engine for `runsOn.docker`.
public enum ContainerEngine {
    /// `docker`, then `podman`: the first whose `info` succeeds within 20 seconds.
    public static func detect(environment: [String: String]) async -> ContainerPolicy {
        var reasons: [String] = []
        for engine in ["docker", "podman"] {
            let tail = TailBuffer(capacity: 2048)
            let spec = CommandSpec(command: "\(engine) info", workingDirectory: "/", environment: environment)
            guard let command = try? ProcessRuntime.start(spec, output: tail) else {
                reasons.append("\(engine) cannot be started")
                continue
            }
            guard let result = await command.wait(upTo: .seconds(20)) else {
                _ = await command.stop(grace: .seconds(1))
                reasons.append("'\(engine) info' did not answer within 20s")
                continue
            }
            if result.termination.isSuccess { return .engine(engine) }
            if result.termination == .exited(127) {
                reasons.append("\(engine) is not installed")
            } else {
                let detail = tail.lastLines(1)
                reasons.append("'\(engine) info' \(result.termination)" + (detail.isEmpty ? "" : " (\(detail))"))
            }
        }
        return .unavailable(reasons.joined(separator: "; "))
    }
}
