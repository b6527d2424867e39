import AutomationsTestSupport
import Foundation
import Testing

/// The shared cache over Bazel's HTTP protocol, against a real nginx with WebDAV: what one machine stored, another
/// reuses; a remote that is down or answers garbage never fails a run.
@Suite(.timeLimit(.minutes(3)))
struct RemoteCacheTests {
    private func runs(_ project: Project, _ task: String) -> Int {
        project.read("\(task).runs").split(separator: "\n").count
    }

    @Test func aSecondMachineWithAnEmptyLocalCacheRunsNothing() async throws {
        let nginx = try await NginxWebDAV()
        let first = try await ResultCacheRunTests.repository()
        defer { first.remove() }
        let remote = ["--cache-url", nginx.url]
        let stored = try await first.run(["run", "--cache-dir", first.path(".cache-store")] + remote)
        #expect(stored.status == 0, "\(stored.stdout)\(stored.stderr)")
        #expect(
            nginx.storedFiles.contains { $0.hasPrefix("ac/") } && nginx.storedFiles.contains { $0.hasPrefix("cas/") }
        )

        // Another machine: a fresh clone in another folder, its own empty local cache, the same shared cache.
        let second = try TestEnvironment.directory()
        defer { try? FileManager.default.removeItem(atPath: second) }
        try await ResultCacheRunTests.git("clone -q \(first.root) \(second)/clone", in: second)
        let clone = Project(existing: second + "/clone")
        let reused = try await clone.runWithReports(["--cache-dir", second + "/empty-cache"] + remote)
        #expect(reused.status == 0, "\(reused.result.stdout)\(reused.result.stderr)")
        #expect(runs(clone, "build") == 0 && runs(clone, "test") == 0 && runs(clone, "lint") == 0, "nothing ran")
        #expect(!clone.exists("db.starts"), "no service was started")
        #expect(clone.read("dist/out.txt") == "hello\n", "outputs come from the shared cache")
        #expect((reused.step("build")["cache"] as? [String: Any])?["source"] as? String == "remote")
        await nginx.stop()
    }

    @Test func aRemoteThatIsDownOrAnswersGarbageNeverFailsARun() async throws {
        let project = try await ResultCacheRunTests.repository()
        defer { project.remove() }
        let down = try await project.run([
            "run", "--cache-dir", project.path(".c1"), "--cache-url", "http://127.0.0.1:9/cache",
        ])
        #expect(down.status == 0, "\(down.stdout)\(down.stderr)")
        #expect(
            down.stderr.contains(
                "warning: the remote cache http://127.0.0.1:9/cache is not used for the rest of this run"
            )
        )
        #expect(
            down.stderr.components(separatedBy: "not used for the rest").count == 2,
            "one warning, not one per step"
        )
        #expect(runs(project, "build") == 1)

        // A shared cache whose entries are garbage: each is refused with a warning and the step runs.
        let nginx = try await NginxWebDAV()
        let stored = try await project.run(["run", "--cache-dir", project.path(".c2"), "--cache-url", nginx.url])
        #expect(stored.status == 0)
        for file in nginx.storedFiles where file.hasPrefix("ac/") {
            try "<html>502 Bad Gateway</html>".write(
                toFile: nginx.folder + "/store/cache/" + file,
                atomically: false,
                encoding: .utf8
            )
        }
        let garbage = try await project.run(["run", "--cache-dir", project.path(".c3"), "--cache-url", nginx.url])
        #expect(garbage.status == 0, "\(garbage.stdout)\(garbage.stderr)")
        #expect(garbage.stderr.contains("is not a valid result; the step runs"), "\(garbage.stderr)")
        #expect(runs(project, "build") == 3, "the garbage was not used")
        await nginx.stop()
    }
}
