import AutomationsCache
import AutomationsTestSupport
import Foundation
import Synchronization
import Testing

/// Entries are untrusted input: each bad shape is refused with a warning (the step then runs), a good one is found.
/// Warnings said, in order.
final class Warnings: Sendable {
    private let said = Mutex<[String]>([])
    func append(_ message: String) { said.withLock { $0.append(message) } }
    func withLock<T>(_ body: ([String]) -> T) -> T { said.withLock { body($0) } }
}

struct ResultCacheTests {
    private let folder: String
    private let store: LocalStore
    private let warnings = Warnings()

    init() throws {
        folder = try TestEnvironment.directory()
        store = LocalStore(folder: folder)
    }

    private func cache(maxEntrySize: Int = 1 << 20) -> ResultCache {
        ResultCache(local: store, remote: nil, readOnly: false, maxEntrySize: maxEntrySize) { message in
            warnings.append(message)
        }
    }

    /// Stores an entry whose outputs are `files` (path → content); returns its key.
    private func put(_ files: [String: String], key: String = String(repeating: "a", count: 64)) throws -> String {
        var outputs: [ActionResult.OutputFile] = []
        for (path, content) in files {
            let digest = ContentDigest(of: content)
            try store.putContent(digest, Array(content.utf8))
            outputs.append(.init(path: path, digest: digest))
        }
        let entry = CacheEntry(
            reference: "build",
            storedAt: Date(),
            commit: "abc1234",
            durationSeconds: 2,
            flaky: false,
            attempts: 1
        ).encoded()
        let entryDigest = ContentDigest(of: entry)
        try store.putContent(entryDigest, entry)
        outputs.append(.init(path: CacheEntry.path, digest: entryDigest))
        try store.putAction(key, ActionResult(outputFiles: outputs, exitCode: 0).encoded())
        return key
    }

    @Test func aGoodEntryIsFoundWithItsRecord() throws {
        let key = try put(["dist/app": "binary"])
        let found = try #require(cache().lookup(key))
        #expect(found.entry.reference == "build" && found.entry.commit == "abc1234")
        #expect(found.outputs.map(\.path) == ["dist/app"])
        #expect(warnings.withLock { $0 }.isEmpty)
        #expect(cache().lookup(String(repeating: "b", count: 64)) == nil, "a miss")
    }

    @Test func anOutputOutsideTheTreeIsRefused() throws {
        for path in ["../evil", "/etc/passwd", "a/../../b", "./x"] {
            let key = try put([path: "x"], key: ContentDigest(of: path).hash)
            #expect(cache().lookup(key) == nil, "\(path)")
        }
        #expect(warnings.withLock { $0 }.allSatisfy { $0.contains("outside the working tree") })
        #expect(warnings.withLock { $0.count } == 4)
    }

    @Test func aContentThatDoesNotMatchItsDigestIsRefused() throws {
        let key = try put(["dist/app": "binary"])
        let digest = ContentDigest(of: "binary")
        let path = folder + "/cas/" + digest.hash.prefix(2) + "/" + digest.hash
        try "tampered".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(cache().lookup(key) == nil)
        #expect(warnings.withLock { $0 }.contains { $0.contains("does not match its digest") })
    }

    @Test func anEntryOverTheLimitIsRefused() throws {
        let key = try put(["dist/big": String(repeating: "x", count: 5000)])
        #expect(cache(maxEntrySize: 1000).lookup(key) == nil)
        #expect(warnings.withLock { $0 }.contains { $0.contains("over the limit") })
    }

    @Test func trimmingRemovesTheLeastRecentlyUsedFirst() throws {
        let old = ContentDigest(of: String(repeating: "o", count: 4000))
        try store.putContent(old, Array(String(repeating: "o", count: 4000).utf8))
        let oldPath = folder + "/cas/" + old.hash.prefix(2) + "/" + old.hash
        var past = [timespec(tv_sec: 1_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000, tv_nsec: 0)]
        _ = utimensat(AT_FDCWD, oldPath, &past, 0)
        let recent = ContentDigest(of: String(repeating: "r", count: 4000))
        try store.putContent(recent, Array(String(repeating: "r", count: 4000).utf8))
        #expect(store.trim(to: 5000) == 1)
        #expect(!store.hasContent(old) && store.hasContent(recent))
    }
}
