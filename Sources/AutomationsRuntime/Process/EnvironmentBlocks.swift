import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
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

    /// The environment used last, known by its storage: a run passes the same dictionary (the same storage) to
    /// every spawn, and hashing all its strings for the lookup below was a tenth of the I/O thread's time in a
    /// 1,000-step chain.
    private let last = Mutex<(storage: UInt, environment: [String: String], entries: [Entry])?>(nil)

    /// The address of the dictionary's storage (a dictionary is one reference on Linux); copies share it until one
    /// of them is changed, and `last` keeps the storage alive, so equal addresses mean equal contents.
    private static func storage(of environment: [String: String]) -> UInt? {
        guard MemoryLayout<[String: String]>.size == MemoryLayout<UInt>.size else { return nil }
        return withUnsafeBytes(of: environment) { $0.load(as: UInt.self) }
    }

    /// Calls `body` with the entries of `environment`; cached entries are never freed, others are freed afterwards.
    func withBlock<Result>(for environment: [String: String], _ body: ([Entry]) -> Result) -> Result {
        let storage = Self.storage(of: environment)
        if let storage, let hit = last.withLock({ $0?.storage == storage ? $0?.entries : nil }) { return body(hit) }
        if let cached = cache.withLock({ $0[environment] }) {
            if let storage { last.withLock { $0 = (storage, environment, cached) } }
            return body(cached)
        }
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
