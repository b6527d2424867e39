import AutomationsCache
import Testing

/// The stored result is REAPI's `ActionResult` in protobuf's binary form; what comes back from a remote is
/// untrusted.
struct ActionResultTests {
    private let digest = ContentDigest(of: "hello")

    @Test func encodesTheFieldsBazelCachesRead() {
        let result = ActionResult(
            outputFiles: [.init(path: "dist/a", digest: digest, isExecutable: true)],
            exitCode: 0,
            stdoutDigest: digest
        )
        let bytes = result.encoded()
        // output_files (field 2, length-delimited) first, then stdout_digest (field 6).
        #expect(bytes.first == 0x12)
        #expect(bytes.contains(0x32))
        #expect(ActionResult(decoding: bytes) == result)
    }

    @Test func unknownFieldsAreSkippedAndGarbageIsRefused() {
        var bytes = ActionResult(outputFiles: [], exitCode: 0, stdoutDigest: digest).encoded()
        bytes += [0x4A, 0x02, 0x01, 0x02]  // field 9 (execution_metadata), two bytes
        #expect(ActionResult(decoding: bytes)?.stdoutDigest == digest)
        #expect(ActionResult(decoding: [0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) == nil, "a length past the end")
        #expect(ActionResult(decoding: Array("<html>not found</html>".utf8)) == nil)
        var badHash = ProtoBytes.digest(hash: "../../etc/passwd", size: 3)
        badHash = [0x32, UInt8(badHash.count)] + badHash
        #expect(ActionResult(decoding: badHash) == nil, "a digest that is no SHA-256")
    }
}

/// Hand-made protobuf for the tests.
enum ProtoBytes {
    static func digest(hash: String, size: UInt8) -> [UInt8] {
        let text = Array(hash.utf8)
        return [0x0A, UInt8(text.count)] + text + [0x10, size]
    }
}
