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

/// `automations run` as a CI pipeline runs it: the built binary, exit statuses, reports, and no process left.
@Suite(.timeLimit(.minutes(2)))
struct RunCommandTests {
    @Test func stepsOfOneGroupOverlapAndGroupsRunInOrder() async throws {
        let project = try Project(
            """
            tasks:
              setup: {name: Setup, command: "sleep 0.1"}
              left: {name: Left, command: "sleep 0.4", dependsOn: [setup]}
              right: {name: Right, command: "sleep 0.4", dependsOn: [setup]}
              final: {name: Final, command: "echo done", dependsOn: [left, right]}
            """
        )
        defer { project.remove() }
        let outcome = try await project.runWithReports([])
        #expect(outcome.status == 0)
        #expect(outcome.phase == "TASK_EXECUTION_PHASE_SUCCEEDED")
        let setup = try #require(outcome.interval("setup"))
        let left = try #require(outcome.interval("left"))
        let right = try #require(outcome.interval("right"))
        let final = try #require(outcome.interval("final"))
        #expect(left.start < right.end && right.start < left.end)  // the two overlap in time
        #expect(setup.end <= min(left.start, right.start))
        #expect(final.start >= max(left.end, right.end))
        #expect(outcome.step("setup")["group"] as? Int == 1)  // counted from 1, as `plan` shows it
        #expect(outcome.step("final")["group"] as? Int == 3)
    }

    static let failing = """
        tasks:
          build: {name: Build, command: "echo built"}
          test: {name: Test, command: "echo testing; exit 1", dependsOn: [build]}
          lint: {name: Lint, command: "echo linted", dependsOn: [build]}
          deploy: {name: Deploy, command: "echo deployed", dependsOn: [test]}
          docs: {name: Docs, command: "echo docs", dependsOn: [lint]}
        """

    @Test func aFailedStepStopsLaterGroups() async throws {
        let project = try Project(Self.failing)
        defer { project.remove() }
        let outcome = try await project.runWithReports([])
        #expect(outcome.status == 1)
        #expect(outcome.phase == "TASK_EXECUTION_PHASE_FAILED")
        #expect(outcome.stepPhase("lint") == "TASK_EXECUTION_PHASE_SUCCEEDED")  // same group: runs to its end
        #expect(outcome.stepPhase("test") == "TASK_EXECUTION_PHASE_FAILED")
        #expect(outcome.step("test")["exitStatus"] as? Int == 1)
        #expect(outcome.step("test")["failureMessage"] as? String == "command exited with status 1")
        #expect(outcome.stepPhase("deploy") == "TASK_EXECUTION_PHASE_PENDING")
        #expect(outcome.step("deploy")["skipReason"] as? String == "dependency 'test' failed")
        #expect(outcome.step("docs")["skipReason"] as? String == "'test' failed in an earlier group")
        // The console says `not run` once.
        #expect(outcome.result.stdout.contains("not run: 'test' failed in an earlier group\n"))
        #expect(!outcome.result.stdout.contains("not run: not run:"))
        #expect(
            outcome.junit.contains(#"<skipped message="dependency &apos;test&apos; failed""#)
                || outcome.junit.contains(#"<skipped message="dependency 'test' failed""#)
        )
        #expect(outcome.result.stdout.contains("✗ task test: command exited with status 1\n    testing"))
    }

    @Test func keepGoingRunsWhatDoesNotDependOnTheFailure() async throws {
        let project = try Project(Self.failing)
        defer { project.remove() }
        let outcome = try await project.runWithReports(["--keep-going"])
        #expect(outcome.status == 1)
        #expect(outcome.stepPhase("docs") == "TASK_EXECUTION_PHASE_SUCCEEDED")
        #expect(outcome.stepPhase("deploy") == "TASK_EXECUTION_PHASE_PENDING")
    }

    @Test func aServiceThatNeverBecomesReadyFailsItsStepAndItsDependents() async throws {
        let project = try Project(
            """
            services:
              db:
                name: DB
                commands: {start: "echo $$ > db.pid; exec sleep 60", ready: "echo not ready; exit 1"}
                readinessTimeout: 0.5s
            tasks:
              migrate: {name: Migrate, command: "echo migrate", dependsOn: [db]}
            """
        )
        defer { project.remove() }
        let outcome = try await project.runWithReports(["migrate"])
        #expect(outcome.status == 1)
        #expect(outcome.stepPhase("db") == "TASK_EXECUTION_PHASE_FAILED")
        #expect(
            outcome.step("db")["failureMessage"] as? String
                == "not ready within 0.5s; the last ready probe exited with status 1: not ready"
        )
        #expect(outcome.service("db")["phase"] as? String == "SERVICE_PHASE_FAILED")
        #expect(outcome.step("migrate")["skipReason"] as? String == "dependency 'db' failed")
        #expect(outcome.junit.contains(#"<error message="not ready within 0.5s"#))
        #expect(project.read(".automations/logs/services/db.ready.log") == "not ready\n")
        let pid = try #require(project.pid("db.pid"))
        #expect(kill(pid, 0) == -1)
        // One line for the one event: the service's step failed.
        let failureLines = outcome.result.stdout.split(separator: "\n").filter { $0.hasPrefix("✗ db") }
        #expect(failureLines.count == 1)
        #expect(failureLines.first?.hasPrefix("✗ db      failed: not ready within 0.5s") == true)
    }

    @Test func aRunWithNothingSelectedSaysSoAndSucceeds() async throws {
        let project = try Project("tasks:\n  build: {name: Build, command: 'echo built', triggeredBy: [manual]}\n")
        defer { project.remove() }
        let outcome = try await project.runWithReports(["--trigger", "prebuild"])
        #expect(outcome.status == 0)
        let reason = "nothing to run: no service or task has trigger 'prebuild'"
        #expect(outcome.result.stdout.hasPrefix("automations: .gitpod/automations.yaml: \(reason)\n"))
        #expect(outcome.result.stdout.hasSuffix("\(reason); 0 steps; succeeded\n"))
        #expect(!outcome.result.stdout.contains("STEP"))  // no empty table
        #expect(outcome.junit.contains(#"tests="0""#))
        let plan = try await project.run(["plan", "--trigger", "prebuild"])
        #expect(plan.status == 0 && plan.stdout == reason + "\n")
    }

    @Test func aServiceIgnoringSIGTERMIsKilledAfterStopTimeout() async throws {
        let project = try Project(
            """
            services:
              stubborn:
                name: Stubborn
                commands: {start: "trap '' TERM; echo $$ > s.pid; sleep 60 & wait", ready: "test -s s.pid"}
            tasks:
              use: {name: Use, command: "true", dependsOn: [stubborn]}
            """
        )
        defer { project.remove() }
        let before = ContinuousClock.now
        let outcome = try await project.runWithReports(["--stop-timeout", "500ms"])
        let took = ContinuousClock.now - before
        #expect(outcome.status == 0)
        #expect(outcome.service("stubborn")["phase"] as? String == "SERVICE_PHASE_STOPPED")
        #expect(took >= .milliseconds(500))
        let pid = try #require(project.pid("s.pid"))
        #expect(kill(-pid, 0) == -1)  // the whole group is gone
    }

    @Test func aFailingStopCommandFailsTheRun() async throws {
        let project = try Project(
            """
            services:
              svc:
                name: Svc
                commands: {start: "exec sleep 60", stop: "echo cannot stop; exit 5"}
            tasks:
              use: {name: Use, command: "true", dependsOn: [svc]}
            """
        )
        defer { project.remove() }
        let outcome = try await project.runWithReports([])
        #expect(outcome.status == 1)
        #expect(outcome.phase == "TASK_EXECUTION_PHASE_FAILED")
        #expect(outcome.service("svc")["phase"] as? String == "SERVICE_PHASE_FAILED")
        #expect(outcome.service("svc")["failureMessage"] as? String == "stop command exited with status 5")
        #expect(outcome.junit.contains(#"<failure message="stop command exited with status 5" type="stop-failed""#))
        #expect(project.read(".automations/logs/services/svc.log").contains("cannot stop"))
    }

    static let prebuild = """
        tasks:
          required: {name: Required, command: "REQUIRED", triggeredBy: [prebuild], prebuildRequiresSuccess: true}
          optional: {name: Optional, command: "OPTIONAL", triggeredBy: [prebuild]}
          after: {name: After, command: "true", triggeredBy: [prebuild], dependsOn: [optional]}
        """

    @Test func prebuildFailuresOfOptionalTasksAreWarnings() async throws {
        let project = try Project(
            Self.prebuild.replacingOccurrences(of: "REQUIRED", with: "true").replacingOccurrences(
                of: "OPTIONAL",
                with: "exit 4"
            )
        )
        defer { project.remove() }
        let outcome = try await project.runWithReports(["--trigger", "prebuild"])
        #expect(outcome.status == 0)
        #expect(outcome.phase == "TASK_EXECUTION_PHASE_SUCCEEDED")
        #expect(outcome.step("optional")["warning"] as? Bool == true)
        #expect(outcome.stepPhase("required") == "TASK_EXECUTION_PHASE_SUCCEEDED")
        #expect(outcome.result.stdout.contains("! task optional: command exited with status 4"))
    }

    @Test func prebuildFailureOfARequiredTaskFailsTheRun() async throws {
        let project = try Project(
            Self.prebuild.replacingOccurrences(of: "REQUIRED", with: "exit 2").replacingOccurrences(
                of: "OPTIONAL",
                with: "true"
            )
        )
        defer { project.remove() }
        let outcome = try await project.runWithReports(["--trigger", "prebuild"])
        #expect(outcome.status == 1)
        #expect(outcome.step("required")["warning"] as? Bool == false)
    }

    static let interruptible = """
        services:
          db:
            name: DB
            commands: {start: "echo $$ > db.pid; exec sleep 60", ready: "test -f db.pid"}
        tasks:
          quick: {name: Quick, command: "echo quick"}
          long: {name: Long, command: "echo $$ > long.pid; echo started; sleep 60", dependsOn: [db, quick]}
          later: {name: Later, command: "echo later", dependsOn: [long]}
        """

    /// Runs the `interruptible` file and sends `signals` once `long` has started.
    private func interrupt(
        _ project: Project,
        with signals: [Int32],
        arguments: [String] = []
    ) async throws -> RunOutcome {
        try await project.runInterrupted(arguments, once: { $0.contains("long  | started") }, with: signals)
    }

    @Test(arguments: [(Int32(SIGINT), Int32(130)), (Int32(SIGTERM), Int32(143)), (Int32(SIGHUP), Int32(129))])
    func aSignalStopsTheRunAndEverythingIsReported(signal: Int32, status: Int32) async throws {
        let project = try Project(Self.interruptible)
        defer { project.remove() }
        let outcome = try await interrupt(project, with: [signal])
        #expect(outcome.status == status)
        #expect(outcome.phase == "TASK_EXECUTION_PHASE_STOPPED")
        #expect(outcome.stepPhase("quick") == "TASK_EXECUTION_PHASE_SUCCEEDED")
        #expect(outcome.stepPhase("long") == "TASK_EXECUTION_PHASE_STOPPED")
        #expect(outcome.stepPhase("later") == "TASK_EXECUTION_PHASE_PENDING")
        #expect(outcome.service("db")["phase"] as? String == "SERVICE_PHASE_STOPPED")
        #expect(outcome.junit.contains(#"<error message="stopped: run interrupted by "#))
        for file in ["db.pid", "long.pid"] {
            let pid = try #require(project.pid(file))
            #expect(kill(-pid, 0) == -1, "\(file): group \(pid) still exists")
        }
    }

    @Test func aSecondCtrlCKillsEverythingAtOnce() async throws {
        let project = try Project(
            Self.interruptible.replacingOccurrences(
                of: "echo started; sleep 60",
                with: "trap '' TERM; echo started; sleep 60 & wait"
            )
        )
        defer { project.remove() }
        let outcome = try await interrupt(
            project,
            with: [SIGINT, SIGINT],
            arguments: ["--task-stop-timeout", "1h"]
        )
        // The hour of grace is not waited for: the suite's time limit would end the test first.
        #expect(outcome.status == 130)
        #expect(outcome.step("long")["failureMessage"] as? String == "killed: the run was interrupted twice")
        let pid = try #require(project.pid("long.pid"))
        #expect(kill(-pid, 0) == -1)
    }

    @Test func timeoutStopsTheRunWithStatus1() async throws {
        let project = try Project(Self.interruptible)
        defer { project.remove() }
        let outcome = try await project.runWithReports(["--timeout", "1s"])
        #expect(outcome.status == 1)
        #expect(outcome.json["stopReason"] as? String == "run timed out after 1.0s")
        #expect(outcome.stepPhase("long") == "TASK_EXECUTION_PHASE_STOPPED")
        #expect(outcome.service("db")["phase"] as? String == "SERVICE_PHASE_STOPPED")
    }

    /// A mistyped option is reported first, alone: not after the file's warnings.
    @Test func argumentErrorsComeBeforeTheFilesWarnings() async throws {
        let project = try Project(
            "services:\n  db: {name: DB, commands: {start: 'sleep 100', ready: 'sleep 15 && true'}}\n"
                + "tasks:\n  build: {name: Build, command: 'touch ran', dependsOn: [db]}\n"
        )
        defer { project.remove() }
        let warned = try await project.run(["validate"])
        #expect(warned.stdout.contains("1 warning"), "the file has a warning: \(warned.stdout)")
        for arguments in [["--timeout", "5"], ["--retries", "-1"], ["--jobs", "0"], ["--retry-delay", "x"]] {
            let result = try await project.run(["run"] + arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(
                !result.stderr.contains("warning:") && !result.stdout.contains("warning:"),
                "\(arguments): \(result.stderr)"
            )
        }
        #expect(!project.exists("ran"))
    }

    @Test func badArgumentsExit2BeforeAnythingRuns() async throws {
        let project = try Project("tasks:\n  build: {name: Build, command: 'touch ran'}\n")
        defer { project.remove() }
        for arguments in [
            ["run", "biuld"], ["run", "--trigger", "nope"], ["run", "--timeout", "ten"], ["run", "--env", "1A=b"],
            ["run", "--stop-timeout", "5"], ["run", "--junit", "/dev/null/dir/r.xml"],
            ["run", "--env-file", "missing.env"],
            ["run", "--output", "fancy"],
        ] {
            let result = try await project.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(!result.stderr.isEmpty)
        }
        #expect(!project.exists("ran"))
    }

    @Test func environmentFromFlagsAndFiles() async throws {
        let project = try Project("tasks:\n  show: {name: Show, command: 'echo \"$A-$B-$C\"'}\n")
        defer { project.remove() }
        try "# comment\nexport A=from-file\nB='quoted value'\n".write(
            toFile: project.path("vars.env"),
            atomically: false,
            encoding: .utf8
        )
        let result = try await project.run(["run", "--env-file", "vars.env", "--env", "C=flag", "--env", "A=override"])
        #expect(result.status == 0)
        #expect(project.read(".automations/logs/tasks/show.log") == "override-quoted value-flag\n")
    }

    @Test func dockerStepsWithoutAnEngineFailClearlyOrRunOnTheHost() async throws {
        let project = try Project(
            "tasks:\n  boxed: {name: Boxed, command: 'echo inside', runsOn: {docker: {image: 'alpine:3'}}}\n"
        )
        defer { project.remove() }
        // This machine has a docker client but no engine; PATH without docker/podman behaves the same way.
        let outcome = try await project.runWithReports([], environment: ["PATH": "/usr/bin:/bin"])
        if outcome.status == 1 {
            let message = try #require(outcome.step("boxed")["failureMessage"] as? String)
            #expect(message.contains("needs a container engine and none works"))
            #expect(outcome.junit.contains(#"<error message="runsOn.docker (image alpine:3) needs a container engine"#))
        }
        let host = try await project.run(["run", "--docker=host"])
        #expect(host.status == 0)
        #expect(project.read(".automations/logs/tasks/boxed.log") == "inside\n")
    }

    @Test func theRedisExampleRunsAgainstARealServer() async throws {
        let example = PlanningCommandTests.repository.appendingPathComponent("examples/redis").path
        let folder = try TestEnvironment.directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let logs = folder + "/logs"
        let result = try await BinaryRunner.run(["run", "--logs", logs, "--output", "quiet"], in: example)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let read = (try? String(contentsOfFile: logs + "/tasks/read.log", encoding: .utf8)) ?? ""
        #expect(read == "read back: hello from automations, 3 queued\n")
        let server = (try? String(contentsOfFile: logs + "/services/redis.log", encoding: .utf8)) ?? ""
        #expect(server.contains("Ready to accept connections"))
        #expect(server.contains("User requested shutdown"))
    }
}
