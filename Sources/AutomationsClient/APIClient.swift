package import AutomationsModel
import Dispatch
import Foundation
package import SwiftProtobuf

/// Why a call to the automations API did not answer.
package enum ClientError: Error, CustomStringConvertible {
    /// Nothing answers at the endpoint.
    case unreachable(String)
    /// The answer was not HTTP as expected.
    case protocolError(String)
    /// The RPC answered with a Connect error (or an HTTP status without one: `code` is `nil`).
    case rpc(code: ConnectCode?, status: Int, message: String)

    package var description: String {
        switch self {
        case .unreachable(let reason): "cannot reach the automations API: \(reason)"
        case .protocolError(let reason): "unexpected answer from the automations API: \(reason)"
        case .rpc(let code, let status, let message): "\(message) (\(code?.rawValue ?? "http \(status)"))"
        }
    }

    /// A Connect error of `code`, as the stand-in reports its own refusals.
    package static func rpc(_ code: ConnectCode, _ message: String) -> ClientError {
        .rpc(code: code, status: code.httpStatus, message: message)
    }
}

/// Where the API is: `unix:PATH` (a run's private socket) or `http://HOST:PORT` (`serve`), with its token.
package struct APIEndpoint: Sendable, Hashable {
    package var url: String
    package var token: String?

    /// The variables a run gives its commands.
    package static let urlVariable = "AUTOMATIONS_API"
    package static let tokenVariable = "AUTOMATIONS_API_TOKEN"

    package init(url: String, token: String? = nil) {
        self.url = url
        self.token = token
    }

    /// The endpoint named by `AUTOMATIONS_API` (and `AUTOMATIONS_API_TOKEN`), if set.
    package static func fromEnvironment(_ environment: [String: String]) -> APIEndpoint? {
        guard let url = environment[urlVariable], !url.isEmpty else { return nil }
        return APIEndpoint(url: url, token: environment[tokenVariable].flatMap { $0.isEmpty ? nil : $0 })
    }

    var address: HTTPConnection.Address? {
        if url.hasPrefix("unix:") { return .unix(path: String(url.dropFirst(5))) }
        guard let components = URLComponents(string: url), components.scheme == "http", let host = components.host
        else { return nil }
        return .tcp(host: host, port: components.port ?? 80)
    }
}

/// Calls the automations API with JSON bodies, as the CLI stand-in and `automations service|task` do.
package struct APIClient: Sendable {
    package let endpoint: APIEndpoint
    package static let automationService = "gitpod.v1.EnvironmentAutomationService"

    package init(endpoint: APIEndpoint) {
        self.endpoint = endpoint
    }

    /// Calls `SERVICE/METHOD` with `request`; the decoded answer.
    package func call<Response: SwiftProtobuf.Message>(
        _ method: String,
        _ request: some SwiftProtobuf.Message,
        service: String = automationService,
        as: Response.Type = Response.self
    ) throws(ClientError) -> Response {
        let body: [UInt8]
        do {
            body = Array(try request.jsonUTF8Data())
        } catch {
            throw ClientError.protocolError("cannot encode the request: \(error)")
        }
        var answer: [UInt8] = []
        let response = try exchange(method: "POST", path: "/\(service)/\(method)", body: body) { answer += $0 }
        guard response.status == 200 else { throw Self.error(status: response.status, body: answer) }
        do {
            var options = JSONDecodingOptions()
            options.ignoreUnknownFields = true
            return try Response(jsonUTF8Bytes: answer, options: options)
        } catch {
            throw ClientError.protocolError("cannot decode \(method)'s answer: \(error)")
        }
    }

    /// ``call(_:_:service:as:)`` on a thread of its own, so that an async caller holds no thread of the shared pool
    /// while the server answers (a wait for a service to be ready answers only then).
    package func callAsync<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: String,
        _ request: Request,
        service: String = automationService,
        as: Response.Type = Response.self
    ) async throws(ClientError) -> Response {
        let result: Result<Response, ClientError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    returning: Result { () throws(ClientError) -> Response in
                        try call(method, request, service: service)
                    }
                )
            }
        }
        return try result.get()
    }

    /// `GET PATH` (a log URL's path), handing the body over as it arrives; the HTTP status.
    package func get(_ path: String, onBody: ([UInt8]) -> Void) throws(ClientError) -> Int {
        var errorBody: [UInt8] = []
        var status = 0
        let response = try exchange(method: "GET", path: path, body: []) { piece in
            if status == 0 || status == 200 { onBody(piece) } else { errorBody += piece }
        }
        status = response.status
        return status
    }

    private func exchange(
        method: String,
        path: String,
        body: [UInt8],
        onBody: ([UInt8]) -> Void
    ) throws(ClientError) -> HTTPConnection.Response {
        guard let address = endpoint.address else {
            throw ClientError.unreachable("'\(endpoint.url)' is not unix:PATH or http://HOST:PORT")
        }
        var headers = ["Content-Type": "application/json"]
        if let token = endpoint.token { headers["Authorization"] = "Bearer \(token)" }
        return try HTTPConnection(address: address).exchange(
            method: method,
            path: path,
            headers: headers,
            body: body,
            onBody: onBody
        )
    }

    private static func error(status: Int, body: [UInt8]) -> ClientError {
        let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        let code = (object?["code"] as? String).flatMap(ConnectCode.init(rawValue:))
        let message = object?["message"] as? String ?? String(decoding: body, as: UTF8.self)
        return .rpc(code: code, status: status, message: message)
    }
}
