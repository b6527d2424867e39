public import AutomationsModel

/// An error an RPC answers with: `{"code": "...", "message": "..."}` and the code's HTTP status.
public struct ConnectError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: ConnectCode
    public var message: String

    public init(_ code: ConnectCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
