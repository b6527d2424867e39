public import AutomationsModel
import Foundation

/// Why a command cannot be run as its item asks (for example `runsOn.docker` without a container engine).
public struct CommandUnavailable: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Where `runsOn.docker` commands go.
public enum ContainerPolicy: Sendable, Hashable {
    /// Run them in their image with this engine (`docker` or `podman`, a path or a name on PATH).
    case engine(String)
    /// No engine works; steps that need one fail with this reason.
    case unavailable(String)
    /// Run them on this machine, ignoring the image (`--docker=host`).
    case host
}

/// Turns an item's command into what the runtime runs: working directory, environment, and container.
public struct CommandResolver: Sendable {
    public var workingDirectory: String
    public var environment: [String: String]
    /// Variables given with `--env`/`--env-file`, passed into containers too.
    public var userEnvironment: [String: String]
    public var containers: ContainerPolicy

    public init(
        workingDirectory: String,
        environment: [String: String],
        userEnvironment: [String: String] = [:],
        containers: ContainerPolicy
    ) {
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.userEnvironment = userEnvironment
        self.containers = containers
    }

    /// The command spec for `command` of an item that runs on `runsOn`.
    /// - Throws: ``CommandUnavailable`` when it needs a container engine and none works.
    public func spec(for command: String, runsOn: RunsOn) throws(CommandUnavailable) -> CommandSpec {
        guard case .docker(let image, let containerEnvironment) = runsOn else {
            return CommandSpec(command: command, workingDirectory: workingDirectory, environment: environment)
        }
        switch containers {
        case .host:
            return CommandSpec(command: command, workingDirectory: workingDirectory, environment: environment)
        case .unavailable(let reason):
            throw CommandUnavailable(
                message: "runsOn.docker (image \(image)) needs a container engine and none works: \(reason); "
                    + "install docker or podman, or pass --docker=host to run it on this machine"
            )
        case .engine(let engine):
            var words = [
                engine, "run", "--rm", "--init", "-v", "\(workingDirectory):\(workingDirectory)", "-w",
                workingDirectory,
            ]
            for entry in containerEnvironment { words += ["-e", entry] }
            for (key, value) in userEnvironment.sorted(by: { $0.key < $1.key }) { words += ["-e", "\(key)=\(value)"] }
            words += [image, "sh", "-c", command]
            return CommandSpec(
                command: "exec " + words.map(Self.shellQuote).joined(separator: " "),
                workingDirectory: workingDirectory,
                environment: environment
            )
        }
    }

    /// `word` quoted for bash.
    static func shellQuote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
