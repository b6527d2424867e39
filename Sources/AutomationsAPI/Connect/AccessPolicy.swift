import AutomationsModel

/// Who may call the API over TCP: requests must carry the bearer token (when there is one), name the served address
/// in `Host` (a page whose name re-resolves to 127.0.0.1 names itself: DNS rebinding), and carry no `Origin` (a
/// browser's) unless that origin is allowed. Our clients and the SDKs send the token, the address they connect to,
/// and no origin.
public struct AccessPolicy: Sendable {
    /// The bearer token every request needs; `nil` serves without one (`serve --no-token`).
    public var token: String?
    /// The host names (without port, lowercased; IPv6 in brackets) that `Host` may name; `nil` takes any (a Unix
    /// socket, which only this user's processes can reach).
    public var allowedHosts: Set<String>?
    /// `Origin` values that are let in (`serve --allow-origin`); any other origin is refused.
    public var allowedOrigins: Set<String>

    /// The names of the loopback addresses, always allowed with a TCP listener.
    public static let loopbackNames: Set<String> = ["127.0.0.1", "localhost", "[::1]"]

    public init(token: String?, allowedHosts: Set<String>? = nil, allowedOrigins: Set<String> = []) {
        self.token = token
        self.allowedHosts = allowedHosts.map { Set($0.map(Self.normalizedHost)) }
        self.allowedOrigins = allowedOrigins
    }

    /// The policy for a TCP listener on `address`: the loopback names, the address itself, and `extraHosts`.
    public static func tcp(
        token: String?,
        address: String,
        extraHosts: [String] = [],
        allowedOrigins: [String] = []
    ) -> AccessPolicy {
        AccessPolicy(
            token: token,
            allowedHosts: loopbackNames.union([address]).union(extraHosts),
            allowedOrigins: Set(allowedOrigins)
        )
    }

    /// Why a request with these `Host` and `Origin` headers is refused (`permission_denied`), or `nil`. `port` is
    /// the port being served, once known: a `Host` naming another port is refused too.
    public func refusal(host: String?, origin: String?, port: Int?) -> ConnectError? {
        if let allowedHosts {
            guard let host, let (name, hostPort) = Self.split(host), allowedHosts.contains(name),
                hostPort == nil || port == nil || hostPort == port
            else {
                return ConnectError(
                    .permissionDenied,
                    "the Host header '\(host ?? "")' is not an address this server serves "
                        + "(allow a reverse proxy's name with serve --allow-host NAME)"
                )
            }
        }
        if let origin, !allowedOrigins.contains(origin) {
            return ConnectError(
                .permissionDenied,
                "requests from web pages (Origin '\(origin)') are refused (allow one with serve --allow-origin ORIGIN)"
            )
        }
        return nil
    }

    /// Whether an `Authorization` header carries the token; compared in constant time.
    public func isAuthorized(_ authorization: String?) -> Bool {
        guard let token else { return true }
        return Self.constantTimeEqual(authorization ?? "", "Bearer " + token)
    }

    /// Whether `given` equals `expected`, in a time that depends only on their lengths (not on where they differ).
    public static func constantTimeEqual(_ given: String, _ expected: String) -> Bool {
        let left = Array(given.utf8)
        let right = Array(expected.utf8)
        var difference = UInt8(truncatingIfNeeded: left.count ^ right.count)
        for index in 0..<right.count {
            difference |= (index < left.count ? left[index] : 0) ^ right[index]
        }
        return difference == 0 && left.count == right.count
    }

    /// `name[:port]` or `[v6]:port` as a lowercased name and the port, or `nil` when malformed.
    static func split(_ host: String) -> (String, Int?)? {
        let lowered = host.lowercased()
        if lowered.hasPrefix("[") {
            guard let close = lowered.firstIndex(of: "]") else { return nil }
            let name = String(lowered[...close])
            let rest = lowered[lowered.index(after: close)...]
            if rest.isEmpty { return (name, nil) }
            guard rest.first == ":", let port = Int(rest.dropFirst()) else { return nil }
            return (name, port)
        }
        let parts = lowered.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return parts[0].isEmpty ? nil : (String(parts[0]), nil)
        case 2:
            guard !parts[0].isEmpty, let port = Int(parts[1]) else { return nil }
            return (String(parts[0]), port)
        default: return nil
        }
    }

    /// A host as `Host` names it: lowercased, an IPv6 address in brackets.
    static func normalizedHost(_ host: String) -> String {
        let lowered = host.lowercased()
        return lowered.contains(":") && !lowered.hasPrefix("[") ? "[\(lowered)]" : lowered
    }
}
