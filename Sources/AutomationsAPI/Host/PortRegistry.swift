public import AutomationsModel

/// The ports opened through the CLI stand-in, in the order they were first opened; opening one again updates it.
public actor PortRegistry {
    private var ports: [OpenedPort] = []

    public init() {}

    @discardableResult
    public func open(_ port: OpenedPort) -> OpenedPort {
        if let index = ports.firstIndex(where: { $0.port == port.port }) {
            ports[index] = port
        } else {
            ports.append(port)
        }
        return port
    }

    /// Forgets the port; false when it was not open.
    public func close(_ port: Int) -> Bool {
        guard let index = ports.firstIndex(where: { $0.port == port }) else { return false }
        ports.remove(at: index)
        return true
    }

    public func port(_ number: Int) -> OpenedPort? { ports.first { $0.port == number } }

    public var all: [OpenedPort] { ports }
}
