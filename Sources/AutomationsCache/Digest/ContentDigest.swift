import CAutomationsSystem
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A SHA-256 digest and the size of what it digests: how the result cache names contents (as Bazel's remote cache
/// does: `/cas/HASH`).
package struct ContentDigest: Sendable, Hashable, Codable {
    /// 64 lowercase hexadecimal digits.
    package var hash: String
    package var size: Int

    package init(hash: String, size: Int) {
        self.hash = hash
        self.size = size
    }

    package init(of bytes: [UInt8]) {
        var hasher = SHA256Hasher()
        hasher.update(bytes)
        self.init(hash: hasher.finish(), size: bytes.count)
    }

    package init(of text: String) {
        self.init(of: Array(text.utf8))
    }

    /// The digest of a file's contents, read in pieces; `nil` when it cannot be read.
    package init?(ofFile path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var hasher = SHA256Hasher()
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        var size = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { break }
            buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            size += count
        }
        self.init(hash: hasher.finish(), size: size)
    }

    /// Whether `text` is a hash as this cache writes it (what a remote entry may name).
    package static func isValidHash(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

/// SHA-256 fed piece by piece.
package struct SHA256Hasher {
    private var context = automations_sha256()

    package init() {
        automations_sha256_init(&context)
    }

    package mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        automations_sha256_update(&context, base, UInt(bytes.count))
    }

    package mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    package mutating func update(_ text: String) {
        update(Array(text.utf8))
    }

    /// The digest as 64 hexadecimal digits.
    package mutating func finish() -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        automations_sha256_final(&context, &digest)
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 15)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
