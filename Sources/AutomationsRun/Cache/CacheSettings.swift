/// How a run uses the result cache (`--no-cache`, `--cache-read-only`, `--cache-dir`, `--cache-max-size`,
/// `--cache-url`).
package struct CacheSettings: Sendable {
    /// `--no-cache`: run everything and store nothing.
    package var enabled = true
    /// `--cache-read-only`: use hits, store nothing (pull requests from forks).
    package var readOnly = false
    /// `--cache-dir`; `nil`: `$XDG_CACHE_HOME/automations`, else `~/.cache/automations`.
    package var folder: String?
    /// `--cache-max-size` in bytes: the least recently used entries go first beyond it.
    package var maxSize = 5 * 1024 * 1024 * 1024
    /// `--cache-url` or `AUTOMATIONS_CACHE_URL`: a Bazel HTTP remote cache shared by CI jobs and teammates.
    package var remoteURL: String?
    /// The bearer token for the remote cache (`AUTOMATIONS_CACHE_TOKEN`).
    package var remoteToken: String?

    package init() {}

    /// The largest entry (log and files of one step) stored or accepted.
    package var maxEntrySize: Int { min(maxSize / 2, 1024 * 1024 * 1024) }

    /// Parses `--cache-max-size`: bytes, or a number with K, M, G (powers of 1024).
    package static func size(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        var digits = text.uppercased()
        if digits.hasSuffix("B") { digits.removeLast() }
        var scale = 1
        if let last = digits.last, let unit = units[last] {
            scale = unit
            digits.removeLast()
        }
        guard let number = Int(digits), number > 0 else { return nil }
        return number.multipliedReportingOverflow(by: scale).overflow ? nil : number * scale
    }
}
