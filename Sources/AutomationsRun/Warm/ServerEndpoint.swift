package import AutomationsClient
import AutomationsConfig
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds the running `automations serve` that `automations service|task|update` talk to: `--api URL`, else
/// `AUTOMATIONS_API`, else the endpoint file that `serve` writes into its state folder in this repository.
package enum ServerEndpoint {
    /// The endpoint file in a state folder (mode 0600: it holds the token).
    package static func file(inStateFolder folder: String) -> String { folder + "/endpoint" }

    /// `serve`'s default state folder for the repository around `directory`.
    package static func defaultStateFolder(from directory: String) -> String {
        let root =
            AutomationsFileLocator.locate(from: directory).map { AutomationsFileLocator.rootDirectory(forFileAt: $0) }
            ?? directory
        return root + "/.automations/state"
    }

    /// Writes the endpoint file for a server listening at `url`.
    package static func write(url: String, token: String?, stateFolder: String) throws {
        var object: [String: Any] = ["url": url, "pid": Int(getpid())]
        if let token { object["token"] = token }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        let path = file(inStateFolder: stateFolder)
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw RunAPIError.cannotWrite(path: temporary, errorNumber: errno)
        }
        _ = data.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            throw RunAPIError.cannotWrite(path: path, errorNumber: errno)
        }
    }

    /// The endpoint to use, and where it came from; `nil` when no server is named or found.
    package static func find(
        api: String?,
        environment: [String: String],
        directory: String
    ) -> (
        endpoint: APIEndpoint, source: String
    )? {
        let token = environment[APIEndpoint.tokenVariable] ?? environment["AUTOMATIONS_TOKEN"]
        if let api { return (APIEndpoint(url: api, token: token), "--api") }
        if let named = APIEndpoint.fromEnvironment(environment) {
            return (named, APIEndpoint.urlVariable)
        }
        let path = file(inStateFolder: defaultStateFolder(from: directory))
        guard let data = FileManager.default.contents(atPath: path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let url = object["url"] as? String
        else { return nil }
        // A server that was killed leaves its file behind: only a live process counts.
        if let pid = object["pid"] as? Int, kill(Int32(pid), 0) != 0, errno == ESRCH { return nil }
        return (APIEndpoint(url: url, token: object["token"] as? String ?? token), path)
    }
}

/// The C library's `write(2)`, which the type's own `write` hides.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
