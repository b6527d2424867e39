import AutomationsAPI
import HTTPTypes
import Hummingbird

/// Answers HTTP requests: `GET /logs/…` with a log stream, everything else through the Connect core.
struct APIResponder: Sendable {
    let host: AutomationsHost
    let connect: ConnectServer

    init(host: AutomationsHost, token: String?) {
        self.host = host
        self.connect = ConnectServer(routes: EnvironmentAutomationRoutes.make(host), token: token)
    }

    var responder: CallbackResponder<BasicRequestContext> {
        CallbackResponder { request, _ in await respond(to: request) }
    }

    func respond(to request: Request) async -> Response {
        if request.method == .get, request.uri.path.hasPrefix("/logs/") {
            return await LogStream.response(for: request.uri.path, host: host)
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
