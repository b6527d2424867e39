import AutomationsRun
import AutomationsTestSupport
import Foundation
import Testing

/// The hook is written only where no foreign hook is, and removed only when it is ours.
struct GitHookTests {
    @Test func installWritesAnExecutableHookAndUninstallRemovesOnlyOurs() throws {
        let repository = try TestEnvironment.directory()
        try FileManager.default.createDirectory(atPath: repository + "/.git", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: repository + "/src/deep", withIntermediateDirectories: true)
        let hook = GitHook(name: "pre-push", references: ["test", "it's"])
        let path = try hook.install(from: repository + "/src/deep")
        #expect(path == repository + "/.git/hooks/pre-push")
        let script = try String(contentsOfFile: path, encoding: .utf8)
        #expect(script.contains(GitHook.marker))
        #expect(
            script.contains("task start --changed-by-push \"$1\" test 'it'\\''s'"),
            "the push selects; references are quoted for the shell"
        )
        #expect(FileManager.default.isExecutableFile(atPath: path))
        #expect(try hook.install(from: repository) == path, "its own hook is replaced")

        #expect(try hook.uninstall(from: repository) == path)
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(throws: GitHookError.missing(path: path)) { try hook.uninstall(from: repository) }

        try "#!/bin/sh\nexit 0\n".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: GitHookError.notOurs(path: path)) { try hook.install(from: repository) }
        #expect(throws: GitHookError.notOursToRemove(path: path)) { try hook.uninstall(from: repository) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "#!/bin/sh\nexit 0\n", "left as it was")
    }

    @Test func aWorktreeUsesTheMainRepositorysHooks() throws {
        let main = try TestEnvironment.directory()
        let worktreeData = main + "/.git/worktrees/feature"
        try FileManager.default.createDirectory(atPath: worktreeData, withIntermediateDirectories: true)
        try "../..\n".write(toFile: worktreeData + "/commondir", atomically: false, encoding: .utf8)
        let worktree = try TestEnvironment.directory()
        try "gitdir: \(worktreeData)\n".write(toFile: worktree + "/.git", atomically: false, encoding: .utf8)
        #expect(try GitHook.hooksFolder(from: worktree) == main + "/.git/hooks")
    }

    @Test func outsideARepositoryIsAnError() throws {
        #expect(throws: GitHookError.notARepository("/")) { try GitHook.hooksFolder(from: "/") }
    }
}
