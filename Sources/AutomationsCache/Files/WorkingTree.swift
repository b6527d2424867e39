import Foundation

/// The files of the working tree, each with an identity of its contents, as git sees them: tracked files by the
/// blob id in git's index unless changed in the working tree, changed and untracked (not ignored) files by their
/// SHA-256 (through the ``StatCache``). Outside a git repository, the files found under the working directory.
package struct WorkingTree: Sendable {
    /// The working directory; paths are relative to it.
    package let root: String
    package let isGitRepository: Bool
    /// The commit checked out (short), in a git repository with one.
    package let commit: String?
    /// Each file's identity by its path relative to ``root``: `git:BLOB`, or `sha256:HASH`.
    package let files: [String: String]

    /// Reads the tree under `root`, leaving out paths that match `excluded` (the runner's own logs and reports).
    package static func read(
        root: String,
        excluding excluded: [Glob],
        statCache: StatCache,
        environment: [String: String]
    ) async -> WorkingTree {
        async let topLevel = GitCommand.output(["rev-parse", "--show-prefix"], in: root, environment: environment)
        async let head = GitCommand.output(["rev-parse", "--short", "HEAD"], in: root, environment: environment)
        async let index = GitCommand.output(
            ["ls-files", "-s", "-z", "--full-name", "."],
            in: root,
            environment: environment
        )
        async let status = GitCommand.output(
            ["--no-optional-locks", "status", "--porcelain=v2", "-z", "--untracked-files=all", "--no-renames", "."],
            in: root,
            environment: environment
        )
        guard let prefixBytes = await topLevel, let index = await index, let status = await status else {
            return WorkingTree(root: root, isGitRepository: false, commit: nil, files: walk(root, excluded, statCache))
        }
        let prefix = String(decoding: prefixBytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let commit = await head.map {
            String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var files = GitListing.indexed(index, prefix: prefix)
        for change in GitListing.changes(status, prefix: prefix) {
            if let hash = statCache.digest(of: root + "/" + change) {
                files[change] = "sha256:" + hash
            } else {
                files[change] = nil  // deleted in the working tree
            }
        }
        files = files.filter { path, _ in !excluded.contains { $0.matches(path) } }
        return WorkingTree(
            root: root,
            isGitRepository: true,
            commit: commit?.isEmpty == false ? commit : nil,
            files: files
        )
    }

    /// ``read(root:excluding:statCache:environment:)`` with the stat cache this cache folder keeps for `root`, saved
    /// afterwards.
    package static func read(
        root: String,
        excluding excluded: [Glob],
        cacheFolder: String,
        environment: [String: String]
    ) async -> WorkingTree {
        let statCache = StatCache(path: cacheFolder + "/stat/" + ContentDigest(of: root).hash)
        let tree = await read(root: root, excluding: excluded, statCache: statCache, environment: environment)
        statCache.save()
        return tree
    }

    /// Outside git: every file under `root` but `.git` and what is excluded.
    private static func walk(_ root: String, _ excluded: [Glob], _ statCache: StatCache) -> [String: String] {
        var files: [String: String] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return files }
        while let relative = enumerator.nextObject() as? String {
            if relative == ".git" || relative.hasPrefix(".git/") {
                enumerator.skipDescendants()
                continue
            }
            guard !excluded.contains(where: { $0.matches(relative) }) else { continue }
            let absolute = root + "/" + relative
            guard let status = FileStatus(path: absolute), status.isRegularFile || status.isSymbolicLink,
                let hash = statCache.digest(of: absolute)
            else { continue }
            files[relative] = "sha256:" + hash
        }
        return files
    }

    /// The files matching any of `globs`, sorted.
    package func matching(_ globs: [Glob]) -> [(path: String, identity: String)] {
        guard !globs.isEmpty else { return [] }
        return files.filter { path, _ in globs.contains { $0.matches(path) } }.sorted { $0.key < $1.key }.map {
            ($0.key, $0.value)
        }
    }

    /// One digest of every file and its identity: the input of a task that declares no sources.
    package var digest: String {
        var hasher = SHA256Hasher()
        for (path, identity) in files.sorted(by: { $0.key < $1.key }) { hasher.update(path + "\0" + identity + "\n") }
        return hasher.finish()
    }
}

/// What git prints, parsed: `ls-files -s -z` and `status --porcelain=v2 -z`.
enum GitListing {
    /// Tracked files by path relative to the working directory (`prefix` is its path in the repository).
    static func indexed(_ bytes: [UInt8], prefix: String) -> [String: String] {
        var files: [String: String] = [:]
        for record in bytes.split(separator: 0) {
            // MODE SP BLOB SP STAGE TAB PATH
            guard let tab = record.firstIndex(of: 9) else { continue }
            let fields = record[..<tab].split(separator: 32)
            guard fields.count == 3, let path = relative(String(decoding: record[(tab + 1)...], as: UTF8.self), prefix)
            else { continue }
            files[path] = "git:" + String(decoding: fields[1], as: UTF8.self)
        }
        return files
    }

    /// Paths whose working-tree content differs from the index, or that git does not track (nor ignore).
    static func changes(_ bytes: [UInt8], prefix: String) -> [String] {
        var paths: [String] = []
        for record in bytes.split(separator: 0) {
            let text = String(decoding: record, as: UTF8.self)
            let path: String?
            if text.hasPrefix("? ") {
                path = String(text.dropFirst(2))
            } else if text.hasPrefix("1 ") || text.hasPrefix("u ") {
                // "1 XY sub mH mI mW hH hI path" (8 fields before the path); "u" has 10.
                let count = text.hasPrefix("1 ") ? 8 : 10
                let parts = text.split(separator: " ", maxSplits: count, omittingEmptySubsequences: false)
                let worktree = parts.count > 1 ? parts[1].dropFirst().first : nil
                path =
                    parts.count == count + 1 && (worktree != "." || text.hasPrefix("u ")) ? String(parts[count]) : nil
            } else {
                path = nil
            }
            if let path, let relative = relative(path, prefix) { paths.append(relative) }
        }
        return paths
    }

    /// A repository path relative to the working directory; `nil` outside it.
    private static func relative(_ path: String, _ prefix: String) -> String? {
        guard !prefix.isEmpty else { return path }
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : nil
    }
}
