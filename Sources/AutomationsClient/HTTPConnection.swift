import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One HTTP/1.1 exchange (`Connection: close`) over a Unix socket or loopback TCP, with no library: the CLI stand-in
/// must start fast and work in any image. The body is delivered as it arrives (chunked, sized or until close).
struct HTTPConnection {
    enum Address {
        case unix(path: String)
        case tcp(host: String, port: Int)

        /// The `Host` header: the address connected to (the server refuses names it does not serve), `localhost`
        /// over a Unix socket.
        var hostHeader: String {
            switch self {
            case .unix: "localhost"
            case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
            }
        }
    }

    struct Response {
        var status: Int
        var headers: [String: String]
    }

    let address: Address
    /// How long connecting, sending and each read may take; `nil`: no limit (the API's waits answer late on purpose).
    var timeout: Duration?

    init(address: Address, timeout: Duration? = nil) {
        self.address = address
        self.timeout = timeout
    }

    /// Sends the request and hands the body to `body` piece by piece; returns the status and headers.
    func exchange(
        method: String,
        path: String,
        headers: [String: String],
        body: [UInt8],
        onBody: ([UInt8]) -> Void
    ) throws(ClientError) -> Response {
        let descriptor = try connect()
        defer { close(descriptor) }
        if let timeout {
            // Set before sending (the connect above is bounded by the same limit: see `connect`).
            Self.limit(descriptor, to: timeout)
        }
        var request = "\(method) \(path) HTTP/1.1\r\nHost: \(address.hostHeader)\r\nConnection: close\r\n"
        request += "Content-Length: \(body.count)\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        try send(Array(request.utf8) + body, on: descriptor)
        var reader = Reader(descriptor: descriptor)
        let head = try reader.head()
        let response = try Self.parse(head)
        if response.headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            while true {
                let sizeLine = try reader.line()
                guard let size = Int(sizeLine.split(separator: ";").first ?? "", radix: 16) else {
                    throw ClientError.protocolError("bad chunk size '\(sizeLine)'")
                }
                if size == 0 { break }
                onBody(try reader.bytes(size))
                _ = try reader.line()
            }
        } else if let length = response.headers["content-length"].flatMap({ Int($0) }) {
            if length > 0 { onBody(try reader.bytes(length)) }
        } else {
            while let piece = try reader.some() { onBody(piece) }
        }
        return response
    }

    private func connect() throws(ClientError) -> Int32 {
        switch address {
        case .unix(let path):
            let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard descriptor >= 0 else { throw ClientError.unreachable("socket: \(String(cString: strerror(errno)))") }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
                close(descriptor)
                throw ClientError.unreachable("the socket path is too long: \(path)")
            }
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                raw.copyBytes(from: bytes)
                raw[bytes.count] = 0
            }
            let result = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    systemConnect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            guard result == 0 else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw ClientError.unreachable("\(path): \(reason)")
            }
            return descriptor
        case .tcp(let host, let port):
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var found: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, String(port), &hints, &found) == 0, let first = found else {
                throw ClientError.unreachable("cannot resolve \(host)")
            }
            defer { freeaddrinfo(found) }
            var entry: UnsafeMutablePointer<addrinfo>? = first
            var reason = "no address"
            while let current = entry {
                let descriptor = socket(
                    current.pointee.ai_family,
                    current.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue),
                    current.pointee.ai_protocol
                )
                if descriptor >= 0 {
                    if let timeout { Self.limit(descriptor, to: timeout) }
                    if systemConnect(descriptor, current.pointee.ai_addr, current.pointee.ai_addrlen) == 0 {
                        return descriptor
                    }
                    reason = String(cString: strerror(errno))
                    close(descriptor)
                }
                entry = current.pointee.ai_next
            }
            throw ClientError.unreachable("\(host):\(port): \(reason)")
        }
    }

    /// Bounds each connect, send and receive on the socket (Linux bounds a TCP connect by the send limit).
    private static func limit(_ descriptor: Int32, to timeout: Duration) {
        let (seconds, attoseconds) = timeout.components
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    private func send(_ bytes: [UInt8], on descriptor: Int32) throws(ClientError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                systemSend(descriptor, $0.baseAddress, $0.count)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw ClientError.unreachable("sending: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    private static func parse(_ head: String) throws(ClientError) -> Response {
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { throw ClientError.protocolError("empty response") }
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw ClientError.protocolError("bad status line")
        }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Response(status: status, headers: headers)
    }

    /// Buffered reads from the socket.
    private struct Reader {
        let descriptor: Int32
        var buffer: [UInt8] = []

        init(descriptor: Int32) { self.descriptor = descriptor }

        /// Reads more into the buffer; false at the end of the stream.
        private mutating func fill() throws(ClientError) -> Bool {
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count < 0 { throw ClientError.unreachable("reading: \(String(cString: strerror(errno)))") }
                if count == 0 { return false }
                buffer += chunk[0..<count]
                return true
            }
        }

        mutating func head() throws(ClientError) -> String {
            let end: [UInt8] = [13, 10, 13, 10]
            while true {
                if let range = firstRange(of: end) {
                    let head = String(decoding: buffer[..<range], as: UTF8.self)
                    buffer.removeFirst(range + 4)
                    return head
                }
                guard try fill() else { throw ClientError.protocolError("the connection closed before a response") }
            }
        }

        mutating func line() throws(ClientError) -> String {
            while true {
                if let range = firstRange(of: [13, 10]) {
                    let line = String(decoding: buffer[..<range], as: UTF8.self)
                    buffer.removeFirst(range + 2)
                    return line
                }
                guard try fill() else { throw ClientError.protocolError("the response ended early") }
            }
        }

        mutating func bytes(_ count: Int) throws(ClientError) -> [UInt8] {
            while buffer.count < count {
                guard try fill() else { throw ClientError.protocolError("the response ended early") }
            }
            let piece = Array(buffer[..<count])
            buffer.removeFirst(count)
            return piece
        }

        mutating func some() throws(ClientError) -> [UInt8]? {
            if buffer.isEmpty, try !fill() { return nil }
            let piece = buffer
            buffer.removeAll()
            return piece
        }

        private func firstRange(of pattern: [UInt8]) -> Int? {
            guard buffer.count >= pattern.count else { return nil }
            for index in 0...(buffer.count - pattern.count)
            where buffer[index] == pattern[0] && Array(buffer[index..<index + pattern.count]) == pattern {
                return index
            }
            return nil
        }
    }
}

/// The C library's `read(2)`, which a member named `read` hides inside the type.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

/// The C library's `connect(2)`, which the connection's own `connect()` hides.
private func systemConnect(_ descriptor: Int32, _ address: UnsafePointer<sockaddr>?, _ length: socklen_t) -> Int32 {
    connect(descriptor, address, length)
}

/// `send(2)` that never raises SIGPIPE: MSG_NOSIGNAL on Linux. Darwin has no such flag: there SO_NOSIGPIPE would be
/// set on the socket (not done yet: nothing here builds for Darwin).
private func systemSend(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    send(descriptor, buffer, count, Int32(MSG_NOSIGNAL))
    #else
    send(descriptor, buffer, count, 0)
    #endif
}
