import Foundation

/// Why the changed files cannot be known (exit 2: nothing runs on a guess).
package enum ChangeError: Error, CustomStringConvertible, Equatable {
    case notARepository(String)
    case unknownCommit(option: String, reference: String)
    case noMergeBase(String)
    case unreadableList(String)
    case malformedPushLine(String)

    package var description: String {
        switch self {
        case .notARepository(let directory): "\(directory) is not in a git repository: the changes cannot be known"
        case .unknownCommit(let option, let reference):
            "\(option) '\(reference)': no such commit here (fetch it first?)"
        case .noMergeBase(let reference): "--changed-since '\(reference)': it has no common history with HEAD"
        case .unreadableList(let path): "--changed-files: cannot read '\(path)'"
        case .malformedPushLine(let line):
            "the pre-push input line '\(line)' is not '<local ref> <local sha> <remote ref> <remote sha>'"
        }
    }
}

/// The paths a change touches, relative to the working directory, as git knows them.
package struct ChangedFiles: Sendable {
    let root: String
    let environment: [String: String]

    package init(root: String, environment: [String: String]) {
        self.root = root
        self.environment = environment
    }

    /// `--changed-since REF`: what differs between the merge base of REF and HEAD and the working tree (committed,
    /// staged or not), and the untracked files that are not ignored.
    package func since(_ reference: String) async throws(ChangeError) -> Set<String> {
        let prefix = try await repositoryPrefix()
        guard await git(["rev-parse", "--verify", "--quiet", reference + "^{commit}"]) != nil else {
            throw .unknownCommit(option: "--changed-since", reference: reference)
        }
        guard let base = await git(["merge-base", reference, "HEAD"]).map(Self.firstLine), !base.isEmpty else {
            throw .noMergeBase(reference)
        }
        async let changed = git(["diff", "--name-only", "-z", "--no-renames", base, "--", "."])
        async let untracked = git(["ls-files", "--others", "--exclude-standard", "-z", "--full-name", "."])
        let names = Self.names(await changed ?? [], separator: 0) + Self.names(await untracked ?? [], separator: 0)
        return Set(names.compactMap { Self.relative($0, prefix) })
    }

    /// The commits a push adds to `remote`, from the pre-push hook's input (`<local ref> <local sha> <remote ref>
    /// <remote sha>` per line): the files they change, each commit against its parent, a merge only by what differs
    /// from all of its parents (what came in by merging another branch is not the push's). A deleted ref, or commits
    /// the remote already has, add nothing.
    package func pushed(_ input: String, remote: String) async throws(ChangeError) -> (paths: Set<String>, commits: Int)
    {
        let prefix = try await repositoryPrefix()
        let zeros = String(repeating: "0", count: 40)
        var paths: Set<String> = []
        var commits = 0
        for line in input.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let fields = line.split(separator: " ")
            guard fields.count == 4 else { throw .malformedPushLine(String(line)) }
            let local = String(fields[1])
            let remoteSha = String(fields[3])
            if local.allSatisfy({ $0 == "0" }) { continue }  // a deleted ref
            var range = [local, "--not", "--remotes=\(remote)"]
            if remoteSha != zeros, remoteSha.count >= 40,
                await git(["cat-file", "-e", remoteSha + "^{commit}"]) != nil
            {
                range.append(remoteSha)
            }
            let listed = await git(["rev-list", "--count"] + range).map(Self.firstLine).flatMap { Int($0) } ?? 0
            commits += listed
            guard listed > 0 else { continue }
            let log = await git(["log", "--format=", "--name-only", "-c", "--no-renames"] + range) ?? []
            for name in Self.names(log, separator: 10) where !name.isEmpty {
                if let relative = Self.relative(name, prefix) { paths.insert(relative) }
            }
        }
        return (paths, commits)
    }

    /// `--changed-files PATH|-`: one path a line (relative to the working directory; `./` and blank lines ignored).
    package static func list(_ text: String) -> Set<String> {
        Set(
            text.split(whereSeparator: \.isNewline).map { line in
                var path = line.trimmingCharacters(in: .whitespaces)
                while path.hasPrefix("./") { path.removeFirst(2) }
                return path
            }.filter { !$0.isEmpty }
        )
    }

    /// `a rebase` or `a merge` when one is in progress in the repository, else `nil`.
    package func operationInProgress() async -> String? {
        guard let folder = await git(["rev-parse", "--absolute-git-dir"]).map(Self.firstLine) else { return nil }
        let manager = FileManager.default
        if manager.fileExists(atPath: folder + "/rebase-merge") || manager.fileExists(atPath: folder + "/rebase-apply")
        {
            return "rebase"
        }
        if manager.fileExists(atPath: folder + "/MERGE_HEAD") { return "merge" }
        return nil
    }

    // MARK: - git

    /// The working directory's path inside the repository (`sub/` or empty).
    private func repositoryPrefix() async throws(ChangeError) -> String {
        guard let prefix = await git(["rev-parse", "--show-prefix"]) else { throw .notARepository(root) }
        return Self.firstLine(prefix)
    }

    private func git(_ arguments: [String]) async -> [UInt8]? {
        await GitCommand.output(arguments, in: root, environment: environment)
    }

    private static func firstLine(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.prefix { $0 != 10 }, as: UTF8.self).trimmingCharacters(in: .whitespaces)
    }

    private static func names(_ bytes: [UInt8], separator: UInt8) -> [String] {
        bytes.split(separator: separator).map { String(decoding: $0, as: UTF8.self) }
    }

    private static func relative(_ path: String, _ prefix: String) -> String? {
        guard !prefix.isEmpty else { return path }
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : nil
    }
}
