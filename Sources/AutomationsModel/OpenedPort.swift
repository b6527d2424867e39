/// A port a command opened with `gitpod environment port open` (or `ona env port open`, `gitpod ports open`).
public struct OpenedPort: Sendable, Hashable {
    public var port: Int
    public var name: String?
    /// `http` or `https` as asked; `http` when not given (Gitpod's default, and what `port list` shows).
    public var `protocol`: String?
    /// The step whose command opened it (`AUTOMATIONS_STEP`), when known.
    public var step: String?

    public init(port: Int, name: String? = nil, protocol: String? = nil, step: String? = nil) {
        self.port = port
        self.name = name
        self.protocol = `protocol` ?? "http"
        self.step = step
    }

    /// The URL the port is reached at outside Gitpod: `http://localhost:PORT`.
    public var url: String { "http://localhost:\(port)" }
}
