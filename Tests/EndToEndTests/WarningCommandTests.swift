import Foundation
import Testing

/// Warnings as a user meets them: `validate` prints them compiler-style and still succeeds, `--warnings-as-errors`
/// and `--allow` decide, and `run` prints them once before it runs.
@Suite(.timeLimit(.minutes(2)))
struct WarningCommandTests {
    static let file = """
        services:
          api:
            name: API
            commands:
              start: "touch up; exec sleep 60"
              ready: sleep 0.2 && test -f up
        tasks:
          test:
            name: Test
            command: cd /workspace/app || true; echo tested
            dependsOn: [api]
        """

    static let expected = [
        ".gitpod/automations.yaml:6:14: warning: the ready probe sleeps ('sleep 0.2') before it checks: every probe "
            + "waits that long, so 'api' is seen ready that late every time; drop the sleep (the probe is repeated "
            + "until it passes) [AU001]",
        ".gitpod/automations.yaml:10:17: warning: '/workspace/app' exists only inside a Gitpod environment; in CI "
            + "commands run at the repository root: use a path relative to it [AU002]",
    ]

    @Test func validateWarnsAndSucceeds() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        let result = try await project.run(["validate"])
        #expect(result.status == 0)
        #expect(result.stderr.split(separator: "\n").map(String.init) == Self.expected)
        #expect(result.stdout == "ok: 1 service, 1 task, 2 warnings\n")
    }

    @Test func warningsAsErrorsExits2AndAllowSilencesARule() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        let strict = try await project.run(["validate", "--warnings-as-errors"])
        #expect(strict.status == 2)
        #expect(strict.stderr.hasPrefix(Self.expected.joined(separator: "\n") + "\n"))
        #expect(strict.stderr.contains("error: 2 warnings and --warnings-as-errors"))
        #expect(strict.stdout.isEmpty)

        let allowed = try await project.run([
            "validate", "--warnings-as-errors", "--allow", "AU001", "--allow", "au002",
        ])
        #expect(allowed.status == 0)
        #expect(allowed.stderr.isEmpty)
        #expect(allowed.stdout == "ok: 1 service, 1 task\n")

        let unknown = try await project.run(["validate", "--allow", "AU099"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("--allow AU099: no such warning"))
    }

    @Test func underGitHubActionsEachWarningAnnotatesItsLine() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        let result = try await project.run(["validate"], environment: ["GITHUB_ACTIONS": "true"])
        #expect(result.status == 0)
        let first: String =
            "::warning file=.gitpod/automations.yaml,line=6,col=14,title=automations AU001::the ready probe sleeps "
            + "('sleep 0.2') before it checks: every probe waits that long, so 'api' is seen ready that late "
            + "every time; drop the sleep (the probe is repeated until it passes)"
        let second: String =
            "::warning file=.gitpod/automations.yaml,line=10,col=17,title=automations AU002::'/workspace/app' exists "
            + "only inside a Gitpod environment; in CI commands run at the repository root: use a path relative to it"
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines == [first, second, "ok: 1 service, 1 task, 2 warnings"])
    }

    @Test func errorsComeFirstThenWarnings() async throws {
        let project = try Project(Self.file + "\n  broken: {name: Broken}\n")
        defer { project.remove() }
        let result = try await project.run(["validate"])
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("error: task 'broken' is missing required key 'command'") == true, "\(lines)")
        #expect(Array(lines.dropFirst()) == Self.expected)
    }

    @Test func runPrintsTheWarningsOnceAndRuns() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        let outcome = try await project.runWithReports([])
        #expect(outcome.status == 0)
        for warning in Self.expected {
            #expect(outcome.result.stderr.components(separatedBy: warning).count == 2, "once: \(warning)")
        }
        #expect(outcome.stepPhase("test") == "TASK_EXECUTION_PHASE_SUCCEEDED")
        let refused = try await project.runWithReports(["--warnings-as-errors"])
        #expect(refused.status == 2)
        #expect(!project.read(".automations/logs/tasks/test.log").isEmpty)  // from the first run; nothing ran again
    }

    @Test func triggerWarnsAboutWhatNeverRuns() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        let result = try await project.run([
            "validate", "--trigger", "prebuild", "--allow", "AU001", "--allow", "AU002",
        ])
        #expect(result.status == 0)
        #expect(
            result.stderr.split(separator: "\n").map(String.init) == [
                ".gitpod/automations.yaml:2:3: warning: service 'api' never runs with --trigger prebuild: it does not "
                    + "have that trigger and nothing that has it depends on it [AU007]",
                ".gitpod/automations.yaml:8:3: warning: task 'test' never runs with --trigger prebuild: it does not "
                    + "have that trigger and nothing that has it depends on it [AU007]",
            ]
        )
        let bad = try await project.run(["validate", "--trigger", "prebuilt"])
        #expect(bad.status == 2)
    }
}
