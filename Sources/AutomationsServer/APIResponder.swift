import AutomationsAPI
import HTTPTypes
import Hummingbird

/// Answers HTTP requests: `GET /logs/…` with a log stream, everything else through the Connect core.
struct APIResponder: Sendable {
    let host: AutomationsHost
    let connect: ConnectServer
    let token: String?

    init(host: AutomationsHost, token: String?) {
        self.host = host
        self.token = token
        self.connect = ConnectServer(
            routes: EnvironmentAutomationRoutes.make(host).merging(PortRoutes.make(host.ports)) { first, _ in first },
            token: token
        )
    }

    var responder: CallbackResponder<BasicRequestContext> {
        CallbackResponder { request, _ in await respond(to: request) }
    }

    func respond(to request: Request) async -> Response {
        await host.applyPendingFile()
        if request.method == .get, request.uri.path.hasPrefix("/logs/") {
            // Logs need the token too (as a bearer token, like every RPC).
            if let token, request.headers[.authorization] != "Bearer \(token)" {
                return Response(
                    status: .unauthorized,
                    body: .init(byteBuffer: ByteBuffer(string: "a token is needed\n"))
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
