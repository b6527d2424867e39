import AutomationsAPI
package import AutomationsRuntime
import Foundation

/// The token `serve` requires: `--token`, else `AUTOMATIONS_TOKEN`, else a random one made once and kept in the
/// state folder (`token`, mode 0600), so that it stays the same when the server is started again; none only with
/// `--no-token`.
package enum ServeToken {
    /// Makes the state folder private (0700) and chooses the token; `warning` when serving without one.
    package static func prepare(
        stateFolder: String,
        given: String?,
        noToken: Bool,
        environment: [String: String]
    ) throws(ServeError) -> (token: String?, warning: String?) {
        do {
            try PrivateStateFolder.prepare(stateFolder)
        } catch {
            throw .stateFolder(error)
        }
        if noToken {
            if given != nil { throw .token(.bothGiven) }
            return (
                nil,
                "serving without a token (--no-token): every user of this machine can run commands as you through it"
            )
        }
        if let given {
            guard !given.isEmpty else { throw .token(.empty) }
            return (given, nil)
        }
        if let fromEnvironment = environment["AUTOMATIONS_TOKEN"], !fromEnvironment.isEmpty {
            return (fromEnvironment, nil)
        }
        return (try kept(in: stateFolder), nil)
    }

    /// The token kept in the state folder, made now if there is none.
    private static func kept(in stateFolder: String) throws(ServeError) -> String {
        let path = stateFolder + "/token"
        if let data = FileManager.default.contents(atPath: path),
            let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
            text.count >= 32
        {
            return text
        }
        let made = randomToken()
        do {
            try AtomicFile.write(made + "\n", to: path, mode: PrivateStateFolder.fileMode)
        } catch {
            throw .token(.cannotKeep(path: path, error: error))
        }
        return made
    }

    /// 256 random bits as 64 hexadecimal digits.
    package static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let value = generator.next()
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }
}

/// Why `serve` has no token to require.
package enum ServeTokenError: Error, CustomStringConvertible {
    case bothGiven
    case empty
    case cannotKeep(path: String, error: FileWriteError)

    package var description: String {
        switch self {
        case .bothGiven: "--token and --no-token exclude each other"
        case .empty: "--token is empty; give a value, or --no-token"
        case .cannotKeep(let path, let error): "cannot keep the token in \(path): \(error)"
        }
    }
}
