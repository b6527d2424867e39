import AutomationsTestSupport
import Foundation
import Testing

/// Change-aware selection through a real pre-push hook and real `git push`es to a bare remote: tasks `a`
/// (`sources: [a/**]`), `b` (`sources: [b/**]`) and `c` (no sources).
@Suite(.timeLimit(.minutes(3)))
struct PushSelectionTests {
    /// A bare remote and a clone of it on `main` with the three tasks, pushed, and the hook installed.
    struct Fixture {
        let folder: String
        var work: String { folder + "/work" }

        init() async throws {
            folder = try TestEnvironment.directory()
            try await shell(
                "git init -q --bare remote.git && git --git-dir remote.git symbolic-ref HEAD refs/heads/main"
                    + " && git clone -q remote.git work 2>/dev/null"
            )
            try FileManager.default.createDirectory(atPath: work + "/.gitpod", withIntermediateDirectories: true)
            try """
            tasks:
              a: {name: a, command: "true"}
              b: {name: b, command: "true"}
              c: {name: c, command: "true"}
            """.write(toFile: work + "/.gitpod/automations.yaml", atomically: false, encoding: .utf8)
            try "tasks:\n  a: {sources: [\"a/**\"]}\n  b: {sources: [\"b/**\"]}\n".write(
                toFile: work + "/.gitpod/automations.runner.yaml",
                atomically: false,
                encoding: .utf8
            )
            try await shell(
                "cd work && git checkout -q -b main && mkdir a b && echo 1 > a/x && echo 1 > a/y && echo 1 > b/y"
                    + " && echo .automations/ > .gitignore && git add -A && \(Self.commit) -qm init"
                    + " && git push -q origin main 2>/dev/null"
                    + " && \(Self.automations) hook install pre-push --skip-during rebase"
            )
        }

        static let commit = "git -c user.email=t@t -c user.name=t commit"
        static let automations = BinaryRunner.quote(BinaryRunner.executable)

        /// Runs a shell command in the fixture's folder, with the test binary as the hook's `automations`.
        @discardableResult
        func shell(_ command: String) async throws -> BinaryRunner.Result {
            let result = try await BinaryRunner.runProgram(
                "export AUTOMATIONS=\(Self.automations) XDG_CACHE_HOME=\(folder)/cache; " + command,
                in: folder
            )
            #expect(result.status == 0, "\(command): \(result.stdout)\(result.stderr)")
            return result
        }

        /// `git push ARGUMENTS` from the clone; the tasks the hook ran (selected) and left out (unaffected).
        func push(_ arguments: String) async throws -> (ran: Set<String>, unaffected: Set<String>, output: String) {
            let result = try await shell("cd work && git push \(arguments) 2>&1")
            return (
                Self.tasks(in: result.stdout, unaffected: false), Self.tasks(in: result.stdout, unaffected: true),
                result.stdout
            )
        }

        /// The tasks of a run's summary table: unaffected, or run (succeeded, cached).
        static func tasks(in output: String, unaffected: Bool) -> Set<String> {
            var found: Set<String> = []
            for line in output.split(separator: "\n") {
                let words = line.split(separator: " ")
                guard words.count >= 3, ["a", "b", "c"].contains(words[0]), words[1] == "task" else { continue }
                if (words[2] == "unaffected") == unaffected { found.insert(String(words[0])) }
            }
            return found
        }
    }

    @Test func aCommitTouchingOnlyAFileOfARunsAAndC() async throws {
        let fixture = try await Fixture()
        try await fixture.shell("cd work && echo 2 > a/x && \(Fixture.commit) -qam 'touch a'")
        let push = try await fixture.push("origin main")
        #expect(push.ran == ["a", "c"], "\(push.output)")
        #expect(push.unaffected == ["b"])
        #expect(push.output.contains("b not run: unaffected: no change under b/**"))
    }

    @Test func aNewBranchIgnoresWhatTheDefaultBranchGainedBeforeIt() async throws {
        let fixture = try await Fixture()
        // Someone else adds commits under b/ to main; this clone fetches them and branches from origin/main.
        try await fixture.shell(
            "git clone -q remote.git other && cd other && echo 2 > b/y && \(Fixture.commit) -qam 'b on main'"
                + " && git push -q origin main 2>/dev/null"
        )
        try await fixture.shell(
            "cd work && git fetch -q && git checkout -q -b feature origin/main && echo 3 > a/x"
                + " && \(Fixture.commit) -qam 'feature touches a'"
        )
        let push = try await fixture.push("-u origin feature")
        #expect(!push.ran.contains("b") && push.ran.contains("a"), "\(push.output)")
    }

    @Test func mergingTheDefaultBranchInDoesNotSelectWhatItBrought() async throws {
        let fixture = try await Fixture()
        try await fixture.shell(
            "cd work && git checkout -q -b feature && echo 4 > a/x && \(Fixture.commit) -qam 'a on feature'"
                + " && git push -q -u origin feature 2>/dev/null; true"
        )
        try await fixture.shell(
            "cd work && git checkout -q main && echo 5 > b/y && \(Fixture.commit) -qam 'b on main'"
                + " && git push -q origin main 2>/dev/null; git checkout -q feature"
                + " && git -c user.email=t@t -c user.name=t merge -q --no-edit main"
        )
        let push = try await fixture.push("origin feature")
        #expect(push.unaffected.contains("b"), "\(push.output)")
    }

    @Test func aDeletionSelectsItsTaskAndARenameSelectsBoth() async throws {
        let fixture = try await Fixture()
        try await fixture.shell("cd work && git rm -q b/y && \(Fixture.commit) -qm 'delete b/y'")
        let deletion = try await fixture.push("origin main")
        #expect(deletion.ran == ["b", "c"], "\(deletion.output)")
        try await fixture.shell("cd work && mkdir -p b && git mv a/y b/y && \(Fixture.commit) -qm 'move a/y to b/y'")
        let rename = try await fixture.push("origin main")
        #expect(rename.ran == ["a", "b", "c"], "\(rename.output)")
    }

    @Test func changedSinceSelectsWhatTheHookSelectsForTheSameCommits() async throws {
        let fixture = try await Fixture()
        try await fixture.shell(
            "cd work && git checkout -q -b feature && echo 6 > a/x && \(Fixture.commit) -qam 'a' && git fetch -q"
        )
        let ci = try await fixture.shell("cd work && \(Fixture.automations) run --changed-since origin/main --no-cache")
        let push = try await fixture.push("-u origin feature")
        #expect(Fixture.tasks(in: ci.stdout, unaffected: true) == push.unaffected, "\(ci.stdout)\n\(push.output)")
        #expect(Fixture.tasks(in: ci.stdout, unaffected: false) == push.ran)
        #expect(push.unaffected == ["b"])
    }

    @Test func aChangeToTheRunnerFileSelectsEverythingAndAnOldTagRunsNothing() async throws {
        let fixture = try await Fixture()
        try await fixture.shell(
            "cd work && printf '\\n' >> .gitpod/automations.runner.yaml && \(Fixture.commit) -qam 'runner file'"
        )
        let push = try await fixture.push("origin main")
        #expect(push.ran == ["a", "b", "c"], "\(push.output)")
        try await fixture.shell("cd work && git tag old HEAD~1")
        let tag = try await fixture.push("origin old")
        #expect(tag.output.contains("nothing to run: the push adds no commit to origin"), "\(tag.output)")
        #expect(tag.ran.isEmpty)
    }

    @Test func aPushDuringARebaseRunsNothingAndSaysWhy() async throws {
        let fixture = try await Fixture()
        try await fixture.shell(
            "cd work && echo 7 > a/x && \(Fixture.commit) -qam 'one' && echo 8 > a/x && \(Fixture.commit) -qam 'two'"
        )
        try await fixture.shell(
            "cd work && GIT_SEQUENCE_EDITOR=\"sed -i '1s/^pick/edit/'\" git -c user.email=t@t -c user.name=t rebase -q -i HEAD~2 >/dev/null 2>&1; test -d .git/rebase-merge"
        )
        let push = try await fixture.push("origin HEAD:refs/heads/wip")
        #expect(
            push.output.contains("nothing to run: a rebase is in progress (skipped during rebase)"),
            "\(push.output)"
        )
        #expect(push.ran.isEmpty)
    }

    @Test func theRunnerFileCanSkipPushesDuringARebaseToo() async throws {
        let fixture = try await Fixture()
        try await fixture.shell(
            "cd work && \(Fixture.automations) hook install pre-push && printf 'skipDuring: [rebase]\\n' >> .gitpod/automations.runner.yaml"
                + " && \(Fixture.commit) -qam 'skip during rebase' && echo 7 > a/x && \(Fixture.commit) -qam 'one'"
                + " && echo 8 > a/x && \(Fixture.commit) -qam 'two'"
        )
        try await fixture.shell(
            "cd work && GIT_SEQUENCE_EDITOR=\"sed -i '1s/^pick/edit/'\" git -c user.email=t@t -c user.name=t rebase -q -i HEAD~2 >/dev/null 2>&1; test -d .git/rebase-merge"
        )
        let push = try await fixture.push("origin HEAD:refs/heads/wip")
        #expect(push.output.contains("nothing to run: a rebase is in progress"), "\(push.output)")
    }
}
