import AutomationsCache
import AutomationsTestSupport
import Foundation
import Testing

/// SHA-256 as FIPS 180-4 gives it, piece by piece as files are read.
struct ContentDigestTests {
    @Test func knownVectors() {
        #expect(ContentDigest(of: "").hash == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(ContentDigest(of: "abc").hash == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let twoBlocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        #expect(
            ContentDigest(of: twoBlocks).hash == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        )
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(
            ContentDigest(of: million).hash == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        )
    }

    @Test func aFileReadInPiecesHasTheDigestOfItsBytes() throws {
        let folder = try TestEnvironment.directory()
        let bytes = (0..<700_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/blob"))
        #expect(ContentDigest(ofFile: folder + "/blob") == ContentDigest(of: bytes))
        #expect(ContentDigest(ofFile: folder + "/missing") == nil)
    }
}
