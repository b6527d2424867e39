import AutomationsRuntime
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The folder of `gitpod`, `ona` and `gp` links to this executable that a run puts first on its commands' PATH.
package enum CLIShimFolder {
    /// The names the stand-in answers to: a link of this executable with one of them is the `gitpod` CLI.
    package static let commandNames: Set<String> = ["gitpod", "ona", "gp"]

    /// Creates `FOLDER/bin` with the links; returns the PATH to give commands (the links first, then `path`).
    static func create(in folder: String, path: String?) throws -> String {
        let bin = folder + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: false)
        for name in commandNames.sorted() {
            try FileManager.default.createSymbolicLink(
                atPath: "\(bin)/\(name)",
                withDestinationPath: ProcessRuntime.ownExecutable
            )
        }
        return bin + ":" + (path ?? "/usr/local/bin:/usr/bin:/bin")
    }

    /// A new folder only this user can enter, short enough for a socket path.
    static func makePrivateFolder() throws -> String {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.count < 60 ? $0 : nil } ?? "/tmp"
        var template = Array("\(base.hasSuffix("/") ? String(base.dropLast()) : base)/automations-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else {
            throw RunAPIError.cannotCreatePrivateFolder(errorNumber: errno)
        }
        return String(cString: created)
    }
}
