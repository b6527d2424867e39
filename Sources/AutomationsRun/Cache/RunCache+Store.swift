import AutomationsCache
import AutomationsModel
import AutomationsReports
import AutomationsRuntime
import Foundation

extension RunCache {
    /// Stores every task that passed in this run (not those served from the cache), with its log, its outputs and
    /// the JUnit files read from it; then keeps the local cache within its size. Returns warnings.
    func store(
        _ report: ExecutionReport,
        innerTests: [String: InnerTestResult],
        logs: StepLogFiles
    ) -> [String] {
        guard !settings.readOnly else { return [] }
        var warnings: [String] = []
        for step in report.steps where step.step.kind == .task && step.phase == .succeeded && step.cache == nil {
            guard let taskKey = keys[step.step.reference], let key = taskKey.key else { continue }
            let logPath = logs.path(for: OutputSource(kind: .task, reference: step.step.reference))
            if let size = FileStatus(path: logPath)?.size, size > settings.maxEntrySize {
                warnings.append("'\(step.step.reference)' is not stored in the cache: its log alone is \(size) bytes")
                continue
            }
            let log = FileManager.default.contents(atPath: logPath)
            let entry = CacheEntry(
                reference: step.step.reference,
                storedAt: step.completedAt ?? Date(),
                commit: tree.commit,
                durationSeconds: step.duration.map {
                    Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18
                } ?? 0,
                flaky: step.isFlaky,
                attempts: max(1, step.attempts)
            )
            let junit = innerTests[step.step.reference]?.files ?? []
            if let problem = store(
                key: key,
                entry: entry,
                log: log.map { Array($0) } ?? [],
                outputs: taskKey.outputs ?? [],
                junit: junit
            ) {
                warnings.append("'\(step.step.reference)' is not stored in the cache: \(problem)")
            } else {
                manifests.record(taskKey)
            }
        }
        cache.local.trim(to: settings.maxSize)
        return warnings
    }

    /// Stores one success; the reason when it cannot be.
    private func store(key: String, entry: CacheEntry, log: [UInt8], outputs: [String], junit: [String]) -> String? {
        var contents: [(ContentDigest, [UInt8])] = []
        var files: [ActionResult.OutputFile] = []
        for path in OutputFiles.find(outputs.map(Glob.init), under: workingDirectory) {
            guard let bytes = FileManager.default.contents(atPath: workingDirectory + "/" + path) else { continue }
            let digest = ContentDigest(of: Array(bytes))
            contents.append((digest, Array(bytes)))
            let executable = FileStatus(path: workingDirectory + "/" + path)?.isExecutable ?? false
            files.append(.init(path: path, digest: digest, isExecutable: executable))
        }
        for path in junit where SafePath.isInside(path) {
            guard let bytes = FileManager.default.contents(atPath: workingDirectory + "/" + path) else { continue }
            let digest = ContentDigest(of: Array(bytes))
            contents.append((digest, Array(bytes)))
            files.append(.init(path: CacheEntry.junitPrefix + path, digest: digest))
        }
        let record = entry.encoded()
        let recordDigest = ContentDigest(of: record)
        contents.append((recordDigest, record))
        files.append(.init(path: CacheEntry.path, digest: recordDigest))
        let logDigest = ContentDigest(of: log)
        contents.append((logDigest, log))
        let total = contents.reduce(0) { $0 + $1.0.size }
        guard total <= settings.maxEntrySize else {
            return "its log and outputs hold \(total) bytes, over the limit of \(settings.maxEntrySize)"
        }
        let action = ActionResult(outputFiles: files, exitCode: 0, stdoutDigest: logDigest).encoded()
        do {
            for (digest, bytes) in contents { try cache.local.putContent(digest, bytes) }
            try cache.local.putAction(key, action)
        } catch {
            return "\(error)"
        }
        if let remote = cache.remote {
            // Contents first: a remote that checks entries (bazel-remote) refuses one that names a missing content.
            guard contents.allSatisfy({ remote.putContent($0.0, $0.1) }) else { return nil }
            _ = remote.putAction(key, action)
        }
        return nil
    }
}

/// The files under a folder that match globs (outputs are often ignored by git: they are found on disk).
enum OutputFiles {
    static func find(_ globs: [Glob], under root: String) -> [String] {
        var found: Set<String> = []
        for glob in globs {
            let prefix = glob.literalPrefix
            let start = prefix.isEmpty ? root : root + "/" + prefix
            if let status = FileStatus(path: start), status.isRegularFile {
                if glob.matches(prefix) { found.insert(prefix) }
                continue
            }
            guard let enumerator = FileManager.default.enumerator(atPath: start) else { continue }
            while let relative = enumerator.nextObject() as? String {
                let path = prefix.isEmpty ? relative : prefix + "/" + relative
                if path == ".git" || path.hasPrefix(".git/") || path.hasPrefix(".automations/") { continue }
                guard glob.matches(path), let status = FileStatus(path: root + "/" + path), status.isRegularFile else {
                    continue
                }
                found.insert(path)
            }
        }
        return found.sorted()
    }
}
