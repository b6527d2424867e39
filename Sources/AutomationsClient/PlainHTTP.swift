import Foundation

/// Plain HTTP/1.1 requests to a server named by an `http://HOST[:PORT][/PREFIX]` URL, with an optional bearer token
/// and a timeout on every wait: the remote cache's client (Bazel's HTTP cache protocol).
package struct PlainHTTP: Sendable {
    package let url: String
    private let host: String
    private let port: Int
    private let prefix: String
    private let token: String?
    private let timeout: Duration

    /// `nil` when `url` is not `http://HOST[:PORT][/PREFIX]`.
    package init?(url: String, token: String?, timeout: Duration) {
        guard let components = URLComponents(string: url), components.scheme == "http",
            let host = components.host, !host.isEmpty
        else { return nil }
        self.url = url
        self.host = host
        self.port = components.port ?? 80
        let path = components.path
        self.prefix = path.hasSuffix("/") ? String(path.dropLast()) : path
        self.token = token
        self.timeout = timeout
    }

    /// `METHOD PREFIX/PATH`; the status and the body, refused past `limit` bytes.
    package func request(
        _ method: String,
        _ path: String,
        body: [UInt8] = [],
        limit: Int
    ) throws(ClientError) -> (status: Int, body: [UInt8]) {
        var headers = ["Content-Type": "application/octet-stream"]
        if let token { headers["Authorization"] = "Bearer \(token)" }
        var received: [UInt8] = []
        var tooLarge = false
        let response = try HTTPConnection(address: .tcp(host: host, port: port), timeout: timeout).exchange(
            method: method,
            path: prefix + "/" + path,
            headers: headers,
            body: body
        ) { piece in
            if received.count + piece.count > limit { tooLarge = true } else { received += piece }
        }
        if tooLarge { throw ClientError.protocolError("the answer is larger than \(limit) bytes") }
        return (response.status, received)
    }
}
