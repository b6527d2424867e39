import AutomationsAPI
package import AutomationsClient
package import SwiftProtobuf

/// The port calls behind `gitpod environment port …` (the run or server records the ports opened).
extension APIClient {
    package func openPort(_ port: Int, name: String?, protocol: String?, step: String?) throws(ClientError) {
        var request = Self.portRequest(port)
        if let name { request.fields["name"] = Google_Protobuf_Value(stringValue: name) }
        if let `protocol` { request.fields["protocol"] = Google_Protobuf_Value(stringValue: `protocol`) }
        if let step { request.fields["step"] = Google_Protobuf_Value(stringValue: step) }
        _ = try call("OpenPort", request, service: PortRoutes.service, as: Google_Protobuf_Struct.self)
    }

    /// The open ports, each as the server describes it (`port`, `name`, `protocol`, `url`).
    package func ports() throws(ClientError) -> [Google_Protobuf_Struct] {
        let answer: Google_Protobuf_Struct = try call(
            "ListPorts",
            Google_Protobuf_Struct(),
            service: PortRoutes.service
        )
        guard case .listValue(let list)? = answer.fields["ports"]?.kind else { return [] }
        return list.values.compactMap { value in
            guard case .structValue(let object)? = value.kind else { return nil }
            return object
        }
    }

    package func closePort(_ port: Int) throws(ClientError) {
        _ = try call("ClosePort", Self.portRequest(port), service: PortRoutes.service, as: Google_Protobuf_Struct.self)
    }

    /// Fails with NOT_FOUND when the port is not open.
    package func checkPort(_ port: Int) throws(ClientError) {
        _ = try call("GetPort", Self.portRequest(port), service: PortRoutes.service, as: Google_Protobuf_Struct.self)
    }

    private static func portRequest(_ port: Int) -> Google_Protobuf_Struct {
        var request = Google_Protobuf_Struct()
        request.fields["port"] = Google_Protobuf_Value(numberValue: Double(port))
        return request
    }
}
