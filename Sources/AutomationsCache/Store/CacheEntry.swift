package import Foundation

/// What the cache keeps about a step that passed, besides its log and files: when and where it passed, how long it
/// took, whether only after a retry. Stored as JSON in the content store and named in the `ActionResult` as the
/// reserved output file ``path``, which is never written into the working tree.
package struct CacheEntry: Sendable, Equatable, Codable {
    /// The reserved output path of this record in an `ActionResult`.
    package static let path = "__automations__/entry.json"
    /// The prefix of the JUnit files the step wrote (`--collect-junit`), stored to be restored with it.
    package static let junitPrefix = "__automations__/junit/"

    package var version = 1
    package var reference: String
    package var storedAt: Date
    /// The commit the working tree was at (short), when in a git repository.
    package var commit: String?
    /// How long the step took when it ran: what a hit saves.
    package var durationSeconds: Double
    /// It passed only after a failed attempt (`--retries`).
    package var flaky: Bool
    package var attempts: Int

    package init(
        reference: String,
        storedAt: Date,
        commit: String?,
        durationSeconds: Double,
        flaky: Bool,
        attempts: Int
    ) {
        self.reference = reference
        self.storedAt = storedAt
        self.commit = commit
        self.durationSeconds = durationSeconds
        self.flaky = flaky
        self.attempts = attempts
    }

    package func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return Array((try? encoder.encode(self)) ?? Data())
    }

    package static func decode(_ bytes: [UInt8]) -> CacheEntry? {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let entry = try? decoder.decode(CacheEntry.self, from: Data(bytes)), entry.version == 1 else {
            return nil
        }
        return entry
    }
}
