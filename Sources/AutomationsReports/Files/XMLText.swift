/// Turns any bytes a command printed into text that is valid in XML 1.0: ANSI escape sequences are removed,
/// invalid UTF-8 and characters XML forbids become U+FFFD, and markup characters are escaped (so `]]>` is
/// harmless).
package enum XMLText {
    /// Escaped text for element content or attribute values; `singleLine` turns line breaks into spaces.
    package static func escape(_ bytes: some Collection<UInt8>, singleLine: Bool = false) -> String {
        escapeDecoded(String(decoding: stripANSI(bytes), as: UTF8.self), singleLine: singleLine)
    }

    /// Escaped text of a string.
    package static func escape(_ text: String, singleLine: Bool = false) -> String {
        escape(Array(text.utf8), singleLine: singleLine)
    }

    private static func escapeDecoded(_ text: String, singleLine: Bool) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\n", "\r": result += singleLine ? " " : (scalar == "\n" ? "\n" : "&#13;")
            case "\t": result += "\t"
            default:
                let value = scalar.value
                let allowed =
                    (0x20...0xD7FF).contains(value) || (0xE000...0xFFFD).contains(value)
                    || (0x10000...0x10FFFF).contains(value)
                result.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
            }
        }
        return result
    }

    /// Removes CSI (`ESC [ … final`), OSC (`ESC ] … BEL|ESC \`) and two-byte `ESC x` sequences.
    package static func stripANSI(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var iterator = bytes.makeIterator()
        var pending: UInt8? = nil
        func next() -> UInt8? {
            if let byte = pending {
                pending = nil
                return byte
            }
            return iterator.next()
        }
        while let byte = next() {
            guard byte == 0x1B else {
                result.append(byte)
                continue
            }
            guard let kind = next() else { break }
            switch kind {
            case UInt8(ascii: "["):
                // Parameters and intermediates, then one final byte in 0x40...0x7E.
                while let inner = next() {
                    if (0x40...0x7E).contains(inner) { break }  // the final byte
                    if (0x20...0x3F).contains(inner) { continue }  // parameters and intermediates
                    pending = inner  // a malformed sequence: keep what follows it
                    break
                }
            case UInt8(ascii: "]"):
                while let inner = next() {
                    if inner == 0x07 { break }
                    if inner == 0x1B {
                        _ = next()
                        break
                    }
                }
            default:
                break  // ESC x: dropped with its one byte
            }
        }
        return result
    }
}
