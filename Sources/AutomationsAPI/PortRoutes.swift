import AutomationsModel
import SwiftProtobuf

/// `automations.v1.PortService`: the ports the CLI stand-in opens (`gitpod environment port open|list|close|get`).
/// Not part of Gitpod's public API; bodies are JSON objects (`google.protobuf.Struct`), answered in kind:
/// `OpenPort {port, name?, protocol?, step?}`, `ClosePort {port}`, `GetPort {port}`, `ListPorts {}` → `{ports: […]}`.
public enum PortRoutes {
    public static let service = "automations.v1.PortService"

    public static func make(_ registry: PortRegistry) -> [String: ConnectServer.Handler] {
        var routes: [String: ConnectServer.Handler] = [:]
        routes["\(service)/OpenPort"] = handler { (request: Google_Protobuf_Struct) async throws(ConnectError) in
            let opened = await registry.open(try port(from: request))
            return object(opened)
        }
        routes["\(service)/ClosePort"] = handler { (request: Google_Protobuf_Struct) async throws(ConnectError) in
            let number = try portNumber(request)
            guard await registry.close(number) else { throw ConnectError(.notFound, "port \(number) is not open") }
            return Google_Protobuf_Struct()
        }
        routes["\(service)/GetPort"] = handler { (request: Google_Protobuf_Struct) async throws(ConnectError) in
            let number = try portNumber(request)
            guard let found = await registry.port(number) else {
                throw ConnectError(.notFound, "port \(number) is not open")
            }
            return object(found)
        }
        routes["\(service)/ListPorts"] = handler { (_: Google_Protobuf_Struct) async throws(ConnectError) in
            var list = Google_Protobuf_ListValue()
            list.values = await registry.all.map { Google_Protobuf_Value(structValue: object($0)) }
            var answer = Google_Protobuf_Struct()
            answer.fields["ports"] = Google_Protobuf_Value(listValue: list)
            return answer
        }
        return routes
    }

    private static func handler(
        _ body: @escaping @Sendable (Google_Protobuf_Struct) async throws(ConnectError) -> Google_Protobuf_Struct
    ) -> ConnectServer.Handler {
        { (call: ConnectCall) async throws(ConnectError) -> [UInt8] in
            let request: Google_Protobuf_Struct = try call.decode()
            return try call.encode(try await body(request))
        }
    }

    private static func portNumber(_ request: Google_Protobuf_Struct) throws(ConnectError) -> Int {
        guard case .numberValue(let value)? = request.fields["port"]?.kind, value == value.rounded(),
            (1...65535).contains(value)
        else {
            throw ConnectError(.invalidArgument, "port: a number from 1 to 65535 is needed")
        }
        return Int(value)
    }

    private static func port(from request: Google_Protobuf_Struct) throws(ConnectError) -> OpenedPort {
        func text(_ key: String) -> String? {
            guard case .stringValue(let value)? = request.fields[key]?.kind, !value.isEmpty else { return nil }
            return value
        }
        return OpenedPort(
            port: try portNumber(request),
            name: text("name"),
            protocol: text("protocol"),
            step: text("step")
        )
    }

    static func object(_ port: OpenedPort) -> Google_Protobuf_Struct {
        var object = Google_Protobuf_Struct()
        object.fields["port"] = Google_Protobuf_Value(numberValue: Double(port.port))
        object.fields["url"] = Google_Protobuf_Value(stringValue: port.url)
        if let name = port.name { object.fields["name"] = Google_Protobuf_Value(stringValue: name) }
        if let value = port.protocol { object.fields["protocol"] = Google_Protobuf_Value(stringValue: value) }
        if let step = port.step { object.fields["step"] = Google_Protobuf_Value(stringValue: step) }
        return object
    }
}
