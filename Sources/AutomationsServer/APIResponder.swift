import AutomationsAPI
import AutomationsModel
import HTTPTypes
import Hummingbird
import Synchronization

/// Answers HTTP requests: `GET /logs/…` with a log stream, everything else through the Connect core.
struct APIResponder: Sendable {
    let host: AutomationsHost
    let connect: ConnectServer
    let policy: AccessPolicy
    /// The port being served, once it is bound (0 before).
    let port: BoundPort

    init(host: AutomationsHost, policy: AccessPolicy, port: BoundPort = BoundPort()) {
        self.host = host
        self.policy = policy
        self.port = port
        self.connect = ConnectServer(
            routes: EnvironmentAutomationRoutes.make(host)
                .merging(PortRoutes.make(host.ports)) { first, _ in first }
                .merging(WaitRoutes.make(host)) { first, _ in first },
            token: policy.token
        )
    }

    var responder: CallbackResponder<BasicRequestContext> {
        CallbackResponder { request, _ in await respond(to: request) }
    }

    func respond(to request: Request) async -> Response {
        // Before anything else: a request from a foreign page (DNS rebinding, an Origin) learns nothing.
        let bound = port.value.load(ordering: .relaxed)
        if let refusal = policy.refusal(
            host: request.head.authority,
            origin: request.headers[.origin],
            port: bound == 0 ? nil : bound
        ) {
            return Self.response(ConnectServer.error(refusal))
        }
        await host.applyPendingFile()
        if request.method == .get, request.uri.path.hasPrefix("/logs/") {
            // Logs need the token too (as a bearer token, like every RPC).
            guard policy.isAuthorized(request.headers[.authorization]) else {
                return Self.response(
                    ConnectServer.error(ConnectError(.unauthenticated, "a valid bearer token is required"))
                )
            }
            // `?follow=false`: the log so far, without waiting for more.
            let follow = request.uri.queryParameters["follow"].map { $0 != "false" && $0 != "0" } ?? true
            return await LogStream.response(for: request.uri.path, host: host, follow: follow)
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: ConnectServer.bodyLimit)
        } catch {
            return Self.response(
                ConnectServer.error(
                    ConnectError(.resourceExhausted, "the request body is larger than \(ConnectServer.bodyLimit) bytes")
                )
            )
        }
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let answer = await connect.handle(
            HTTPRequestParts(
                method: request.method.rawValue,
                path: request.uri.path,
                query: query,
                headers: headers,
                body: Array(buffer: body)
            )
        )
        return Self.response(answer)
    }

    /// The HTTP response for a Connect answer.
    static func response(_ answer: HTTPResponseParts) -> Response {
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        return Response(
            status: .init(code: answer.status),
            headers: fields,
            body: .init(byteBuffer: ByteBuffer(bytes: answer.body))
        )
    }
}

/// The port a server listens on, known once it is bound.
final class BoundPort: Sendable {
    let value = Atomic<Int>(0)
}
