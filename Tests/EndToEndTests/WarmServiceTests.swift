import AutomationsModel
import AutomationsRuntime
import AutomationsTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Local pre-push checks on warm services: `automations task start` runs tasks here with the services of a running
/// `automations serve`, and `automations hook` installs the Git hook that does it.
@Suite(.timeLimit(.minutes(2)))
struct WarmServiceTests {
    static let file = """
        services:
          db:
            name: DB
            commands:
              start: "echo start >> db.starts; sleep 0.5; touch db.ready; exec sleep 600"
              ready: "test -f db.ready"
              stop: "rm -f db.ready"
        tasks:
          test: {name: Test, command: "test -f db.ready && echo tested", dependsOn: [db]}
        """

    @Test func tasksRunHereWithTheServersServicesWhichStayWarm() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        let (server, output, _) = try BinaryRunner.start(["serve", "--port", "0"], in: project.root)
        #expect(
            await TestEnvironment.eventually(within: .seconds(20)) { project.exists(".automations/state/endpoint") },
            "serve: \(output.stdoutText) \(output.stderrText)"
        )
        let mode =
            try FileManager.default.attributesOfItem(atPath: project.path(".automations/state/endpoint"))[
                .posixPermissions
            ] as? Int
        #expect(mode == 0o600)

        let first = try await project.run(["task", "start", "test", "--junit", "first.xml"])
        #expect(first.status == 0, "\(first.stdout) \(first.stderr)")
        #expect(project.read(".automations/logs/tasks/test.log") == "tested\n")
        #expect(project.read("first.xml").contains("<testcase"))
        let second = try await project.run(["task", "start", "test", "--report-json", "second.json"])
        #expect(second.status == 0, "\(second.stdout) \(second.stderr)")
        // Started once, by the first check; the second found it running, and says so.
        #expect(project.read("db.starts") == "start\n")
        #expect(first.stdout.contains("▶ db   started (service)"), "\(first.stdout)")
        #expect(second.stdout.contains("▶ db   already running (kept warm by serve)"), "\(second.stdout)")
        #expect(!second.stdout.contains("started (service)"))
        let status = try await project.run(["service", "status", "db"])
        #expect(status.stdout.contains("db         running"))
        let failing = try await project.run(["task", "start", "nope"])
        #expect(failing.status == 2)

        server.signalGroup(SIGTERM)
        #expect(await server.wait().termination == .exited(0))
        #expect(!project.exists(".automations/state/endpoint"))
        #expect(!project.exists("db.ready"), "the service was stopped with its stop command")
    }

    @Test func withoutAServerTheCommandsSaySo() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        let result = try await project.run(["service", "list"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no running `automations serve` for this repository"))
    }

    @Test func theHookIsInstalledOnceAndNeverOverwritesAnotherOne() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        let hooks = project.path(".git/hooks")
        try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true)

        let selecting = try await project.run(["hook", "install", "pre-push", "test"])
        #expect(selecting.status == 0, "\(selecting.stderr)")
        #expect(project.read(".git/hooks/pre-push").contains("run --changed-by-push \"$1\" test"))
        // --all: everything, not only what the push touches (this folder is no real repository to push from).
        let installed = try await project.run(["hook", "install", "pre-push", "--all", "test"])
        #expect(installed.status == 0, "\(installed.stderr)")
        let hook = project.read(".git/hooks/pre-push")
        #expect(hook.contains("task start test"))
        #expect(hook.contains("run test"))
        #expect(FileManager.default.isExecutableFile(atPath: hooks + "/pre-push"))
        // Without a server the hook runs the task with `run`.
        let ran = try await BinaryRunner.runProgram("./.git/hooks/pre-push", in: project.root)
        #expect(ran.status == 0, "\(ran.stdout) \(ran.stderr)")
        #expect(project.read(".automations/logs/tasks/test.log") == "tested\n")

        #expect(try await project.run(["hook", "uninstall", "pre-push"]).status == 0)
        #expect(!project.exists(".git/hooks/pre-push"))

        try "#!/bin/sh\necho mine\n".write(toFile: hooks + "/pre-push", atomically: false, encoding: .utf8)
        let refused = try await project.run(["hook", "install", "pre-push", "test"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("was not written by automations"))
        #expect(try await project.run(["hook", "uninstall", "pre-push"]).status == 2)
        #expect(project.read(".git/hooks/pre-push") == "#!/bin/sh\necho mine\n")
    }
}

/// A warm service is never stale: one whose sources changed since it started is restarted before a check uses it.
@Suite(.timeLimit(.minutes(2)))
struct StaleWarmServiceTests {
    @Test func aServiceWhoseSourcesChangedIsRestartedAndSaysWhy() async throws {
        let project = try Project(
            """
            services:
              web:
                name: Web
                commands:
                  start: "cat app/app.py >> web.starts; touch web.ready; exec sleep 600"
                  ready: "test -f web.ready"
                  stop: "rm -f web.ready"
            tasks:
              check: {name: Check, command: "test -f web.ready && echo checked", dependsOn: [web]}
            """
        )
        defer { project.remove() }
        try "services:\n  web:\n    sources: [\"app/**\"]\n".write(
            toFile: project.path(".gitpod/automations.runner.yaml"),
            atomically: false,
            encoding: .utf8
        )
        try FileManager.default.createDirectory(atPath: project.path("app"), withIntermediateDirectories: true)
        try "version 1\n".write(toFile: project.path("app/app.py"), atomically: false, encoding: .utf8)
        try "web.*\n.automations/\n".write(toFile: project.path(".gitignore"), atomically: false, encoding: .utf8)
        let git = "git -c user.email=t@t -c user.name=t"
        #expect(
            try await BinaryRunner.runProgram("git init -q && git add -A && \(git) commit -qm init", in: project.root)
                .status == 0
        )
        let environment = ["XDG_CACHE_HOME": project.path(".cache-home")]
        let (server, output, _) = try BinaryRunner.start(
            ["serve", "--port", "0"],
            in: project.root,
            environment: environment
        )
        #expect(
            await TestEnvironment.eventually(within: .seconds(20)) { project.exists(".automations/state/endpoint") },
            "serve: \(output.stdoutText) \(output.stderrText)"
        )
        let first = try await project.run(["task", "start", "check"], environment: environment)
        #expect(first.status == 0, "\(first.stdout) \(first.stderr)")
        let unchanged = try await project.run(["task", "start", "check"], environment: environment)
        #expect(unchanged.stdout.contains("▶ web   already running (kept warm by serve)"), "\(unchanged.stdout)")
        #expect(!unchanged.stdout.contains("restarted"))
        #expect(project.read("web.starts") == "version 1\n")

        try "version 2\n".write(toFile: project.path("app/app.py"), atomically: false, encoding: .utf8)
        #expect(try await BinaryRunner.runProgram("\(git) commit -qam 'app answers 500'", in: project.root).status == 0)
        let changed = try await project.run(["task", "start", "check"], environment: environment)
        #expect(changed.status == 0, "\(changed.stdout) \(changed.stderr)")
        #expect(changed.stdout.contains("↻ web restarted: app/app.py changed since it started"), "\(changed.stdout)")
        #expect(project.read("web.starts") == "version 1\nversion 2\n", "the check ran against what is committed")

        server.signalGroup(SIGTERM)
        #expect(await server.wait().termination == .exited(0))
    }
}
