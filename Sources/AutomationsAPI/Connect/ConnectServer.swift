import AutomationsModel
import Foundation

/// The Connect protocol for unary RPCs, independent of any HTTP library: routing on the last two path segments
/// (so `/api/…` works too), JSON and binary protobuf bodies answered in the request's encoding, gzip request bodies,
/// a bearer token, a body size limit, and errors as `{"code","message"}` with the code's HTTP status.
public struct ConnectServer: Sendable {
    /// An RPC: a call in, the encoded answer out.
    public typealias Handler = @Sendable (ConnectCall) async throws(ConnectError) -> [UInt8]

    /// Request bodies over this size (before or after inflating) are refused with `resource_exhausted`.
    public static let bodyLimit = 4 * 1024 * 1024

    /// Handlers by `Service/Method`, such as `gitpod.v1.EnvironmentAutomationService/GetService`.
    public var routes: [String: Handler]
    /// When set, every request needs `Authorization: Bearer TOKEN`.
    public var token: String?

    public init(routes: [String: Handler], token: String? = nil) {
        self.routes = routes
        self.token = token
    }

    /// Answers one HTTP request.
    public func handle(_ request: HTTPRequestParts) async -> HTTPResponseParts {
        let segments = request.path.split(separator: "/").suffix(2).joined(separator: "/")
        guard let handler = routes[segments] else {
            return Self.error(ConnectError(.unimplemented, "no such procedure: \(request.path)"))
        }
        guard request.method.uppercased() == "POST" else {
            var response = Self.error(ConnectError(.unimplemented, "\(request.method) is not supported; use POST"))
            response.status = 405
            response.headers.append(("Allow", "POST"))
            return response
        }
        if !AccessPolicy(token: token).isAuthorized(request.headers["authorization"]) {
            return Self.error(ConnectError(.unauthenticated, "a valid bearer token is required"))
        }
        guard let codec = WireCodec(contentType: request.headers["content-type"]) else {
            var response = Self.error(
                ConnectError(.unimplemented, "unsupported content type; use application/json or application/proto")
            )
            response.status = 415
            response.headers.append(("Accept-Post", "application/json, application/proto"))
            return response
        }
        if let version = request.headers["connect-protocol-version"], version != "1" {
            return Self.error(ConnectError(.invalidArgument, "connect-protocol-version must be 1, found \(version)"))
        }
        do {
            let body = try Self.body(of: request)
            let answer = try await handler(ConnectCall(codec: codec, body: body, query: request.query))
            return HTTPResponseParts(status: 200, headers: [("Content-Type", codec.contentType)], body: answer)
        } catch {
            return Self.error(error)
        }
    }

    private static func body(of request: HTTPRequestParts) throws(ConnectError) -> [UInt8] {
        guard request.body.count <= bodyLimit else {
            throw ConnectError(.resourceExhausted, "the request body is larger than \(bodyLimit) bytes")
        }
        switch request.headers["content-encoding"]?.lowercased() {
        case nil, "", "identity": return request.body
        case "gzip": return try Gzip.inflate(request.body, limit: bodyLimit)
        case let other?:
            throw ConnectError(.unimplemented, "unsupported content encoding '\(other)'; use gzip or identity")
        }
    }

    /// A Connect error response: always JSON, never to be retried by the Stainless client.
    public static func error(_ error: ConnectError) -> HTTPResponseParts {
        let body = try? JSONSerialization.data(
            withJSONObject: ["code": error.code.rawValue, "message": error.message],
            options: [.sortedKeys, .withoutEscapingSlashes]
        )
        return HTTPResponseParts(
            status: error.code.httpStatus,
            headers: [("Content-Type", "application/json"), ("x-should-retry", "false")],
            body: Array(body ?? Data())
        )
    }
}
