import AutomationsRuntime
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file descriptor the console writes to (standard output or error), written with whole `write(2)` calls.
package struct TerminalOutput: Sendable {
    package let descriptor: Int32

    package static let standardOutput = TerminalOutput(descriptor: STDOUT_FILENO)
    package static let standardError = TerminalOutput(descriptor: STDERR_FILENO)

    package init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// True when the descriptor is a terminal that understands escape sequences (`TERM` is not `dumb`).
    package var isTerminal: Bool {
        isatty(descriptor) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    /// Whether to colour: `always`, `never`, or (`auto`) a terminal with `NO_COLOR` unset or empty.
    package func usesColor(_ mode: ColorChoice) -> Bool {
        switch mode {
        case .always: return true
        case .never: return false
        case .auto: return (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty && isTerminal
        }
    }

    package func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { write($0) }
    }

    package func write(_ text: String) {
        write(Array(text.utf8))
    }

    package func write(_ bytes: UnsafeRawBufferPointer) {
        FileDescriptorIO.writeAll(descriptor, bytes)
    }
}

/// `--color auto|always|never`.
package enum ColorChoice: String, Sendable, CaseIterable {
    case auto
    case always
    case never
}

/// ANSI styles.
package enum ANSIStyle: String, Sendable {
    case bold = "1"
    case dim = "2"
    case red = "31"
    case green = "32"
    case yellow = "33"
    case blue = "34"
    case magenta = "35"
    case cyan = "36"
    case boldRed = "1;31"
    case boldGreen = "1;32"
    case boldYellow = "1;33"

    /// Colours given to references in turn, stable for a reference within a run.
    package static let palette: [ANSIStyle] = [.cyan, .magenta, .blue, .yellow, .green]

    package func apply(_ text: String, if enabled: Bool) -> String {
        enabled ? "\u{1B}[\(rawValue)m\(text)\u{1B}[0m" : text
    }
}
