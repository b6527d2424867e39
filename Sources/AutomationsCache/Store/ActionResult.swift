/// The part of the Remote Execution API's `ActionResult` (build.bazel.remote.execution.v2) a step's result is
/// stored as, in protobuf's binary form, so that Bazel remote caches (bazel-remote validates what it stores) accept
/// it: the exit code, the log as `stdout_digest`, and the files as `output_files`.
package struct ActionResult: Sendable, Equatable {
    package struct OutputFile: Sendable, Equatable {
        package var path: String
        package var digest: ContentDigest
        package var isExecutable: Bool

        package init(path: String, digest: ContentDigest, isExecutable: Bool = false) {
            self.path = path
            self.digest = digest
            self.isExecutable = isExecutable
        }
    }

    package var outputFiles: [OutputFile] = []
    package var exitCode: Int32 = 0
    package var stdoutDigest: ContentDigest?

    package init(outputFiles: [OutputFile] = [], exitCode: Int32 = 0, stdoutDigest: ContentDigest? = nil) {
        self.outputFiles = outputFiles
        self.exitCode = exitCode
        self.stdoutDigest = stdoutDigest
    }

    // Field numbers of remote_execution.proto.
    private enum Field {
        static let outputFiles = 2
        static let exitCode = 4
        static let stdoutDigest = 6
        static let path = 1
        static let digest = 2
        static let isExecutable = 4
        static let hash = 1
        static let sizeBytes = 2
    }

    package func encoded() -> [UInt8] {
        var writer = ProtoWriter()
        for file in outputFiles {
            var nested = ProtoWriter()
            nested.string(Field.path, file.path)
            nested.message(Field.digest, Self.encode(file.digest))
            if file.isExecutable { nested.varint(Field.isExecutable, 1) }
            writer.message(Field.outputFiles, nested.bytes)
        }
        if exitCode != 0 { writer.varint(Field.exitCode, UInt64(bitPattern: Int64(exitCode))) }
        if let stdoutDigest { writer.message(Field.stdoutDigest, Self.encode(stdoutDigest)) }
        return writer.bytes
    }

    /// Decodes untrusted bytes; `nil` for anything that is not a well-formed result with valid digests.
    package init?(decoding bytes: [UInt8]) {
        var reader = ProtoReader(bytes[...])
        while let (field, value) = reader.next() {
            switch (field, value) {
            case (Field.outputFiles, .bytes(let nested)):
                guard let file = Self.decodeFile(nested) else { return nil }
                outputFiles.append(file)
            case (Field.exitCode, .varint(let number)):
                exitCode = Int32(truncatingIfNeeded: number)
            case (Field.stdoutDigest, .bytes(let nested)):
                guard let digest = Self.decodeDigest(nested) else { return nil }
                stdoutDigest = digest
            default:
                continue  // fields this cache does not use
            }
        }
        guard reader.isValid else { return nil }
    }

    private static func encode(_ digest: ContentDigest) -> [UInt8] {
        var writer = ProtoWriter()
        writer.string(Field.hash, digest.hash)
        if digest.size != 0 { writer.varint(Field.sizeBytes, UInt64(digest.size)) }
        return writer.bytes
    }

    private static func decodeDigest(_ bytes: ArraySlice<UInt8>) -> ContentDigest? {
        var reader = ProtoReader(bytes)
        var hash = ""
        var size = 0
        while let (field, value) = reader.next() {
            switch (field, value) {
            case (Field.hash, .bytes(let text)): hash = String(decoding: text, as: UTF8.self)
            case (Field.sizeBytes, .varint(let number)) where number <= UInt64(Int.max): size = Int(number)
            default: continue
            }
        }
        guard reader.isValid, ContentDigest.isValidHash(hash) else { return nil }
        return ContentDigest(hash: hash, size: size)
    }

    private static func decodeFile(_ bytes: ArraySlice<UInt8>) -> OutputFile? {
        var reader = ProtoReader(bytes)
        var path = ""
        var digest: ContentDigest?
        var executable = false
        while let (field, value) = reader.next() {
            switch (field, value) {
            case (Field.path, .bytes(let text)): path = String(decoding: text, as: UTF8.self)
            case (Field.digest, .bytes(let nested)): digest = decodeDigest(nested)
            case (Field.isExecutable, .varint(let number)): executable = number != 0
            default: continue
            }
        }
        guard reader.isValid, !path.isEmpty, let digest else { return nil }
        return OutputFile(path: path, digest: digest, isExecutable: executable)
    }
}

/// Protobuf's binary wire format, the parts `ActionResult` needs: varints and length-delimited fields.
struct ProtoWriter {
    private(set) var bytes: [UInt8] = []

    mutating func varint(_ field: Int, _ value: UInt64) {
        raw(UInt64(field << 3))
        raw(value)
    }

    mutating func string(_ field: Int, _ text: String) {
        message(field, Array(text.utf8))
    }

    mutating func message(_ field: Int, _ content: [UInt8]) {
        raw(UInt64(field << 3 | 2))
        raw(UInt64(content.count))
        bytes += content
    }

    private mutating func raw(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }
}

/// Reads protobuf's binary wire format from untrusted bytes; stops (and is no longer valid) at anything malformed.
struct ProtoReader {
    enum Value {
        case varint(UInt64)
        case bytes(ArraySlice<UInt8>)
        case fixed
    }

    private var rest: ArraySlice<UInt8>
    private(set) var isValid = true

    init(_ bytes: ArraySlice<UInt8>) {
        rest = bytes
    }

    mutating func next() -> (Int, Value)? {
        guard isValid, !rest.isEmpty else { return nil }
        guard let tag = varint(), tag >> 3 > 0, tag >> 3 < 1 << 29 else { return fail() }
        let field = Int(tag >> 3)
        switch tag & 7 {
        case 0:
            guard let value = varint() else { return fail() }
            return (field, .varint(value))
        case 1, 5:
            let width = tag & 7 == 1 ? 8 : 4
            guard rest.count >= width else { return fail() }
            rest = rest.dropFirst(width)
            return (field, .fixed)
        case 2:
            guard let length = varint(), length <= UInt64(rest.count) else { return fail() }
            let content = rest.prefix(Int(length))
            rest = rest.dropFirst(Int(length))
            return (field, .bytes(content))
        default:
            return fail()
        }
    }

    private mutating func fail() -> (Int, Value)? {
        isValid = false
        return nil
    }

    private mutating func varint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while let byte = rest.first {
            rest = rest.dropFirst()
            guard shift < 64 else { return nil }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        return nil
    }
}
