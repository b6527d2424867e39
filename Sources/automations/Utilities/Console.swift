import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes text to standard output or standard error directly, one `write(2)` per call, and knows whether the
/// stream is a terminal and may be coloured.
struct Console: Sendable {
    let descriptor: Int32

    static let standardOutput = Console(descriptor: STDOUT_FILENO)
    static let standardError = Console(descriptor: STDERR_FILENO)

    /// True when the stream is a terminal that understands colour (`TERM` is not `dumb`).
    var isTerminal: Bool {
        isatty(descriptor) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    /// Colour for `--color auto`: a terminal, and `NO_COLOR` unset or empty.
    func usesColor(_ mode: ColorMode) -> Bool {
        switch mode {
        case .always: return true
        case .never: return false
        case .auto:
            let noColor = ProcessInfo.processInfo.environment["NO_COLOR"] ?? ""
            return noColor.isEmpty && isTerminal
        }
    }

    func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
        bytes.removeAll()
    }
}

/// `--color auto|always|never`.
enum ColorMode: String, CaseIterable, Sendable {
    case auto
    case always
    case never
}

/// ANSI styles for console text.
enum TextStyle: String {
    case bold = "1"
    case red = "31"
    case boldRed = "1;31"
    case yellow = "33"
    case boldYellow = "1;33"
    case green = "32"
    case dim = "2"
    case cyan = "36"

    /// `text` wrapped in this style when `enabled`, otherwise `text` itself.
    func apply(_ text: String, enabled: Bool) -> String {
        enabled ? "\u{1B}[\(rawValue)m\(text)\u{1B}[0m" : text
    }
}
