import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// C strings (`KEY=VALUE`) of the environments commands are started with, made once per environment: a run starts
/// every command with the same one, and building the strings was a measurable part of each spawn.
final class EnvironmentBlocks: Sendable {
    static let shared = EnvironmentBlocks()

    /// One variable: its name, and the C string `NAME=VALUE`.
    struct Entry: @unchecked Sendable {
        var name: String
        var pointer: UnsafeMutablePointer<CChar>?
    }

    /// At most this many environments are kept (for the life of the process); others are built for one spawn.
    private static let capacity = 16
    private let cache = Mutex<[[String: String]: [Entry]]>([:])

    /// Calls `body` with the entries of `environment`; cached entries are never freed, others are freed afterwards.
    func withBlock<Result>(for environment: [String: String], _ body: ([Entry]) -> Result) -> Result {
        if let cached = cache.withLock({ $0[environment] }) { return body(cached) }
        let entries = environment.map { Entry(name: $0.key, pointer: strdup("\($0.key)=\($0.value)")) }
        let stored = cache.withLock { cache -> Bool in
            guard cache.count < Self.capacity, cache[environment] == nil else { return false }
            cache[environment] = entries
            return true
        }
        defer {
            if !stored { for entry in entries { free(entry.pointer) } }
        }
        return body(entries)
    }
}
