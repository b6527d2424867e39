import AutomationsClient
import Synchronization

/// A shared cache that speaks Bazel's HTTP remote-cache protocol (bazel-remote, nginx with WebDAV): `GET`/`PUT` on
/// `/ac/KEY` and `/cas/HASH`. Every wait is short; after the first failure it is left alone for the rest of the run
/// (one warning), and the run goes on without it.
package final class RemoteStore: Sendable {
    private let http: PlainHTTP
    private let givingUp = Mutex<String?>(nil)
    private let warn: @Sendable (String) -> Void

    /// `nil` when `url` is not `http://HOST[:PORT][/PREFIX]`.
    package init?(
        url: String,
        token: String?,
        timeout: Duration = .seconds(3),
        warn: @escaping @Sendable (String) -> Void
    ) {
        guard let http = PlainHTTP(url: url, token: token, timeout: timeout) else { return nil }
        self.http = http
        self.warn = warn
    }

    package var url: String { http.url }

    /// The stored `ActionResult` bytes of a key; `nil` when absent (404) or the remote failed.
    package func action(_ key: String, limit: Int) -> [UInt8]? {
        get("ac/" + key, limit: limit)
    }

    package func content(_ digest: ContentDigest, limit: Int) -> [UInt8]? {
        get("cas/" + digest.hash, limit: limit)
    }

    package func putContent(_ digest: ContentDigest, _ bytes: [UInt8]) -> Bool {
        put("cas/" + digest.hash, bytes)
    }

    package func putAction(_ key: String, _ bytes: [UInt8]) -> Bool {
        put("ac/" + key, bytes)
    }

    private func get(_ path: String, limit: Int) -> [UInt8]? {
        guard givingUp.withLock({ $0 }) == nil else { return nil }
        do {
            let answer = try http.request("GET", path, limit: limit)
            if answer.status == 404 { return nil }
            guard answer.status == 200 else {
                giveUp("GET \(path) answered HTTP \(answer.status)")
                return nil
            }
            return answer.body
        } catch {
            giveUp("GET \(path): \(error)")
            return nil
        }
    }

    private func put(_ path: String, _ bytes: [UInt8]) -> Bool {
        guard givingUp.withLock({ $0 }) == nil else { return false }
        do {
            let answer = try http.request("PUT", path, body: bytes, limit: 64 * 1024)
            guard (200..<300).contains(answer.status) else {
                giveUp("PUT \(path) answered HTTP \(answer.status)")
                return false
            }
            return true
        } catch {
            giveUp("PUT \(path): \(error)")
            return false
        }
    }

    private func giveUp(_ reason: String) {
        let first = givingUp.withLock { state -> Bool in
            guard state == nil else { return false }
            state = reason
            return true
        }
        if first { warn("the remote cache \(http.url) is not used for the rest of this run: \(reason)") }
    }
}
