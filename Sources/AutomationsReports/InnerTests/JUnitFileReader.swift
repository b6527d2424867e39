import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One test from a JUnit file a task wrote (pytest, go-junit-report/gotestsum, jest-junit, Maven Surefire).
package struct InnerTestCase: Sendable, Hashable {
    package var suite: String
    package var name: String
    package var classname: String
    package var time: Double
    /// `failure`, `error` or `skipped`; `nil` when it passed.
    package var outcome: String?
    package var message: String
    package var type: String
    /// The outcome element's text and the test's `system-out`/`system-err`, capped.
    package var body: String
    package var output: String
}

/// Why a JUnit file could not be read.
package enum JUnitReadError: Error, CustomStringConvertible, Equatable {
    /// It could not be opened (the error number says why).
    case unopenable(path: String, errorNumber: Int32)
    case unreadable(errorNumber: Int32)
    /// It is no well-formed XML as far as the reader goes: what it found.
    case malformed(String)
    case noTestsuites(path: String)
    case testcaseOutsideSuite(path: String)

    package var description: String {
        switch self {
        case .unopenable(let path, let number): "\(path): \(String(cString: strerror(number)))"
        case .unreadable(let number): "cannot read: \(String(cString: strerror(number)))"
        case .malformed(let problem): problem
        case .noTestsuites(let path): "\(path): no testsuites or testsuite element"
        case .testcaseOutsideSuite(let path): "\(path): a testcase outside any testsuite"
        }
    }
}

/// Reads a JUnit XML file as a stream (64 KiB at a time, each text capped), so a file of 100,000 testcases is read
/// in bounded memory. Understands `testsuites` and bare `testsuite` roots, nested suites, CDATA, entities and
/// character references; anything it does not know is skipped.
package enum JUnitFileReader {
    /// Each kept text (a failure body, a test's output) holds at most this many bytes: head and tail.
    static let textLimit = 4 * 1024

    package static func read(path: String, _ handle: (InnerTestCase) -> Void) throws(JUnitReadError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw JUnitReadError.unopenable(path: path, errorNumber: errno)
        }
        defer { close(descriptor) }
        var scanner = Scanner(descriptor: descriptor)
        var suites: [String] = []
        var current: InnerTestCase?
        var inside: String?  // the child element of a testcase whose text is being read
        var text: [UInt8] = []
        var sawRoot = false
        while let token = try scanner.next() {
            switch token {
            case .open(let name, let attributes, let selfClosing):
                switch name {
                case "testsuites":
                    sawRoot = true
                case "testsuite":
                    sawRoot = true
                    if !selfClosing { suites.append(attributes["name"] ?? "") }
                case "testcase":
                    guard sawRoot else {
                        throw JUnitReadError.testcaseOutsideSuite(path: path)
                    }
                    let test = InnerTestCase(
                        suite: suites.last ?? "",
                        name: attributes["name"] ?? "",
                        classname: attributes["classname"] ?? "",
                        time: Double(attributes["time"] ?? "") ?? 0,
                        outcome: nil,
                        message: "",
                        type: "",
                        body: "",
                        output: ""
                    )
                    if selfClosing { handle(test) } else { current = test }
                case "failure", "error", "skipped":
                    guard current != nil, current?.outcome == nil || name != "skipped" else { continue }
                    // A failure outranks a skip; the first failure or error is the one kept.
                    if current?.outcome == nil || current?.outcome == "skipped" {
                        current?.outcome = name
                        current?.message = attributes["message"] ?? ""
                        current?.type = attributes["type"] ?? ""
                    }
                    if !selfClosing {
                        inside = name
                        text = []
                    }
                case "system-out", "system-err":
                    if current != nil && !selfClosing {
                        inside = name
                        text = []
                    }
                default:
                    break
                }
            case .text(let bytes):
                if inside != nil { append(bytes, to: &text) }
            case .close(let name):
                switch name {
                case "testsuite":
                    _ = suites.popLast()
                case "testcase":
                    if let test = current { handle(test) }
                    current = nil
                    inside = nil
                case "failure", "error", "skipped":
                    if inside == name, current?.outcome == name, current?.body.isEmpty == true {
                        current?.body = String(decoding: text, as: UTF8.self)
                    }
                    inside = nil
                case "system-out", "system-err":
                    if inside == name, current != nil {
                        current!.output += String(decoding: text, as: UTF8.self)
                    }
                    inside = nil
                default:
                    break
                }
            }
        }
        guard sawRoot else { throw JUnitReadError.noTestsuites(path: path) }
    }

    /// Appends, keeping the first half of the limit and the most recent bytes after it.
    private static func append(_ bytes: [UInt8], to text: inout [UInt8]) {
        text += bytes
        if text.count > textLimit * 2 {
            let half = textLimit / 2
            text = Array(text.prefix(half)) + Array("\n[…]\n".utf8) + Array(text.suffix(half))
        }
    }

    enum Token {
        case open(String, [String: String], selfClosing: Bool)
        case close(String)
        case text([UInt8])
    }

    /// A pull tokenizer over a file descriptor: elements, their attributes, and decoded text.
    struct Scanner {
        let descriptor: Int32
        var buffer: [UInt8] = []
        var position = 0
        var ended = false

        init(descriptor: Int32) { self.descriptor = descriptor }

        /// Makes at least `count` bytes available from `position`; false at the end of the file.
        mutating func ensure(_ count: Int) throws(JUnitReadError) -> Bool {
            while buffer.count - position < count {
                if ended { return false }
                if position > 64 * 1024 {
                    buffer.removeFirst(position)
                    position = 0
                }
                var chunk = [UInt8](repeating: 0, count: 64 * 1024)
                let read = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
                if read < 0 { throw JUnitReadError.unreadable(errorNumber: errno) }
                if read == 0 { ended = true } else { buffer += chunk[0..<read] }
            }
            return true
        }

        /// The index of `pattern` at or after `position`, reading more as needed; `nil` when the file ends first.
        mutating func find(_ pattern: [UInt8]) throws(JUnitReadError) -> Int? {
            var from = position
            while true {
                if buffer.count - from >= pattern.count {
                    let last = buffer.count - pattern.count
                    var index = from
                    while index <= last {
                        if buffer[index] == pattern[0] && buffer[index..<index + pattern.count].elementsEqual(pattern) {
                            return index
                        }
                        index += 1
                    }
                    from = last + 1
                }
                let before = buffer.count - position
                let offset = from - position
                guard try ensure(before + 1) else { return nil }
                from = position + offset
            }
        }

        /// Inside a CDATA section: its text comes out in pieces, so a huge one never sits in memory whole.
        var inCDATA = false
        /// Texts come out in pieces of at most this many bytes.
        static let piece = 64 * 1024

        mutating func next() throws(JUnitReadError) -> Token? {
            guard try ensure(1) else {
                if inCDATA { throw JUnitReadError.malformed("an unterminated CDATA section") }
                return nil
            }
            if inCDATA {
                while true {
                    let available = buffer[position...]
                    if let end = Self.index(of: Array("]]>".utf8), in: available) {
                        let raw = Array(buffer[position..<end])
                        position = end + 3
                        inCDATA = false
                        return .text(raw)
                    }
                    if available.count >= Self.piece || ended {
                        guard !ended || available.count > 2 else {
                            throw JUnitReadError.malformed("an unterminated CDATA section")
                        }
                        // Keep two bytes back: `]]>` may straddle the next read.
                        let end = buffer.count - 2
                        let raw = Array(buffer[position..<end])
                        position = end
                        return .text(raw)
                    }
                    guard try ensure(available.count + 1) else { continue }
                }
            }
            if buffer[position] != UInt8(ascii: "<") {
                // Text up to the next markup, in pieces.
                while true {
                    let available = buffer[position...]
                    if let end = available.firstIndex(of: UInt8(ascii: "<")) {
                        let raw = Array(buffer[position..<end])
                        position = end
                        return .text(JUnitFileReader.decodeEntities(raw))
                    }
                    if available.count >= Self.piece || ended {
                        let raw = Array(available)
                        position = buffer.count
                        return .text(JUnitFileReader.decodeEntities(raw))
                    }
                    _ = try ensure(available.count + 1)
                }
            }
            if try ensure(9), buffer[position..<position + 9].elementsEqual(Array("<![CDATA[".utf8)) {
                position += 9
                inCDATA = true
                return try next()
            }
            if try ensure(4), buffer[position..<position + 4].elementsEqual(Array("<!--".utf8)) {
                guard let end = try find(Array("-->".utf8)) else {
                    throw JUnitReadError.malformed("an unterminated comment")
                }
                position = end + 3
                return try next()
            }
            if try ensure(2), buffer[position + 1] == UInt8(ascii: "?") || buffer[position + 1] == UInt8(ascii: "!") {
                guard let end = try find([UInt8(ascii: ">")]) else {
                    throw JUnitReadError.malformed("an unterminated declaration")
                }
                position = end + 1
                return try next()
            }
            guard let end = try findTagEnd() else { throw JUnitReadError.malformed("an unterminated element") }
            let tag = Array(buffer[(position + 1)..<end])
            position = end + 1
            return try JUnitFileReader.parseTag(tag)
        }

        static func index(of pattern: [UInt8], in bytes: ArraySlice<UInt8>) -> Int? {
            guard bytes.count >= pattern.count else { return nil }
            var index = bytes.startIndex
            while index <= bytes.endIndex - pattern.count {
                if bytes[index] == pattern[0] && bytes[index..<index + pattern.count].elementsEqual(pattern) {
                    return index
                }
                index += 1
            }
            return nil
        }

        /// The `>` that ends the tag at `position`, skipping quoted attribute values.
        mutating func findTagEnd() throws(JUnitReadError) -> Int? {
            // Counted from `position`: reading more may move the buffer's contents.
            var offset = 1
            var quote: UInt8?
            while true {
                guard try ensure(offset + 1) else { return nil }
                let byte = buffer[position + offset]
                if let open = quote {
                    if byte == open { quote = nil }
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    quote = byte
                } else if byte == UInt8(ascii: ">") {
                    return position + offset
                }
                offset += 1
            }
        }
    }

    static func parseTag(_ tag: [UInt8]) throws(JUnitReadError) -> Token {
        var bytes = tag[...]
        if bytes.first == UInt8(ascii: "/") {
            let name = String(decoding: bytes.dropFirst().prefix { !isSpace($0) }, as: UTF8.self)
            return .close(name)
        }
        let selfClosing = bytes.last == UInt8(ascii: "/")
        if selfClosing { bytes = bytes.dropLast() }
        let name = String(decoding: bytes.prefix { !isSpace($0) }, as: UTF8.self)
        guard !name.isEmpty else { throw JUnitReadError.malformed("an element without a name") }
        var rest = bytes.drop { !isSpace($0) }
        var attributes: [String: String] = [:]
        while true {
            rest = rest.drop(while: isSpace)
            guard !rest.isEmpty else { break }
            let key = rest.prefix { $0 != UInt8(ascii: "=") && !isSpace($0) }
            rest = rest.dropFirst(key.count).drop(while: isSpace)
            guard rest.first == UInt8(ascii: "=") else {
                throw JUnitReadError.malformed("an attribute without a value in <\(name)>")
            }
            rest = rest.dropFirst().drop(while: isSpace)
            guard let quote = rest.first, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
                throw JUnitReadError.malformed("an unquoted attribute in <\(name)>")
            }
            rest = rest.dropFirst()
            let value = rest.prefix { $0 != quote }
            rest = rest.dropFirst(value.count + 1)
            attributes[String(decoding: key, as: UTF8.self)] = String(
                decoding: decodeEntities(Array(value)),
                as: UTF8.self
            )
        }
        return .open(name, attributes, selfClosing: selfClosing)
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

    /// `&lt;` and friends, `&#N;` and `&#xN;`.
    static func decodeEntities(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(UInt8(ascii: "&")) else { return bytes }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "&"),
                let semicolon = bytes[index..<min(bytes.count, index + 12)].firstIndex(of: UInt8(ascii: ";"))
            else {
                output.append(bytes[index])
                index += 1
                continue
            }
            let entity = String(decoding: bytes[(index + 1)..<semicolon], as: UTF8.self)
            var replacement: String?
            switch entity {
            case "lt": replacement = "<"
            case "gt": replacement = ">"
            case "amp": replacement = "&"
            case "quot": replacement = "\""
            case "apos": replacement = "'"
            default:
                if entity.hasPrefix("#x"), let value = UInt32(entity.dropFirst(2), radix: 16),
                    let scalar = Unicode.Scalar(value)
                {
                    replacement = String(scalar)
                } else if entity.hasPrefix("#"), let value = UInt32(entity.dropFirst()),
                    let scalar = Unicode.Scalar(value)
                {
                    replacement = String(scalar)
                }
            }
            if let replacement {
                output += Array(replacement.utf8)
                index = semicolon + 1
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return output
    }
}

/// The C library's `read(2)`, which a member named `read` hides inside the type.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
