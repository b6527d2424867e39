import AutomationsAPI
import AutomationsRuntime
import Foundation

/// The token `serve` requires: `--token`, else `AUTOMATIONS_TOKEN`, else a random one made once and kept in the
/// state folder (`token`, mode 0600), so that it stays the same when the server is started again; none only with
/// `--no-token`.
enum ServeAccess {
    static func token(given: String?, noToken: Bool, stateFolder: String, fileOptions: FileOptions) throws -> String? {
        let fromEnvironment = ProcessInfo.processInfo.environment["AUTOMATIONS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        if noToken {
            if given != nil { throw fileOptions.fail("--token and --no-token exclude each other") }
            FileHandle.standardError.write(
                Data(
                    "warning: serving without a token (--no-token): every user of this machine can run commands as you through it\n"
                        .utf8
                )
            )
            return nil
        }
        if let given {
            guard !given.isEmpty else { throw fileOptions.fail("--token is empty; give a value, or --no-token") }
            return given
        }
        if let fromEnvironment { return fromEnvironment }
        let kept = stateFolder + "/token"
        if let data = FileManager.default.contents(atPath: kept),
            let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
            text.count >= 32
        {
            return text
        }
        let made = randomToken()
        do {
            try AtomicFile.write(made + "\n", to: kept, mode: PrivateStateFolder.fileMode)
        } catch {
            throw fileOptions.fail("cannot keep the token in \(kept): \(error)")
        }
        return made
    }

    /// 256 random bits as 64 hexadecimal digits.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let value = generator.next()
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }
}
