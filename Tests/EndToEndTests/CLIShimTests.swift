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

/// Real automations files call the Gitpod/Ona CLI from their commands; a run answers those calls itself. The calls
/// here are the ones real files make most (issue 11), run end to end with the built binary.
@Suite(.timeLimit(.minutes(2)))
struct CLIShimTests {
    static let file = """
        services:
          api: {name: API, commands: {start: "echo $$ > api.pid; touch api.up; exec sleep 600", ready: "test -f api.up"}}
          one: {name: One, commands: {start: "echo started >> one.starts; exec sleep 600"}}
          two: {name: Two, commands: {start: "echo started >> two.starts; exec sleep 600"}}
          three: {name: Three, commands: {start: "echo started >> three.starts; exec sleep 600"}}
        tasks:
          start-and-wait:
            name: Start a service from a task, wait with status
            command: |
              gitpod automations service start api
              until gitpod automations service status api | grep -q running; do sleep 0.05; done
              echo "api is $(gitpod automations service status api -o json | grep -o 'SERVICE_PHASE_[A-Z]*')"
          capture-url:
            name: Capture a port URL
            command: |
              URL=$(gitpod environment port open 3000 --name web --protocol http --dont-wait --admission creator_only)
              echo "web at $URL"
              ona env port open 5432 -n db
              gitpod ports open 8080
              gp url 3000
              gitpod environment port list
          nested:
            name: Nested task start
            command: "ona automations task start helper && ona auto task start helper"
          helper: {name: Helper, command: "echo helped"}
          update-stdin:
            name: Update from standard input
            command: "gitpod automations update - < .gitpod/automations.yaml"
          update-invalid:
            name: Update with an invalid file
            command: "printf 'tasks:\\n  x: {name: X}\\n' | gitpod automations update -; echo status=$?"
          restart-three:
            name: Restart three services
            command: |
              ona automations service start one two three
              ona automations service restart one two three
              ona automations service status one two three
          unsupported:
            name: Unsupported
            command: "gitpod organization list; echo status=$?"
        """

    @Test func theCallsRealFilesMakeAreAnsweredByTheRun() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        let marker = UUID().uuidString
        let outcome = try await project.runWithReports(
            [
                "start-and-wait", "capture-url", "nested", "update-stdin", "update-invalid", "restart-three",
                "unsupported", "--env", "SHIM_MARKER=\(marker)",
            ]
        )
        let log = { (reference: String) in project.read(".automations/logs/tasks/\(reference).log") }
        #expect(outcome.status == 0, "\(outcome.result.stdout.suffix(3000))")

        #expect(log("start-and-wait").contains("api is SERVICE_PHASE_RUNNING"))
        // A service started from inside the run is the run's: reported and stopped at its end.
        #expect(outcome.service("api")["phase"] as? String == "SERVICE_PHASE_STOPPED")
        #expect(outcome.stepPhase("api") == "TASK_EXECUTION_PHASE_SUCCEEDED")
        // Its start and readiness are on the console as a planned service's are, it has a duration, and the summary
        // says why it has one step more than the plan announced.
        #expect(outcome.result.stdout.contains("started (service, through the CLI)"), "\(outcome.result.stdout)")
        #expect(outcome.result.stdout.contains(" ready in "))
        #expect(outcome.result.stdout.contains("(4 started through the CLI)"))  // api, one, two, three
        #expect(outcome.step("api")["startedAt"] is String && outcome.step("api")["completedAt"] is String)

        #expect(log("capture-url").contains("web at http://localhost:3000\n"))
        #expect(log("capture-url").contains("http://localhost:5432\nhttp://localhost:8080\nhttp://localhost:3000\n"))
        #expect(log("capture-url").contains("3000  web   http"))
        let ports = (outcome.json["ports"] as? [[String: Any]]) ?? []
        #expect(ports.map { $0["port"] as? Int } == [3000, 5432, 8080])
        #expect(ports.first?["name"] as? String == "web")
        #expect(ports.first?["protocol"] as? String == "http")
        #expect(ports.first?["step"] as? String == "capture-url")
        // Opened without --protocol: http, as `port list` shows it (the JSON said null).
        #expect(ports.map { $0["protocol"] as? String } == ["http", "http", "http"])

        // Each nested start runs the task's plan in the run, reported as REF@N; its output is also streamed.
        #expect(log("nested") == "helped\nhelped\n")
        #expect(outcome.stepPhase("helper@1") == "TASK_EXECUTION_PHASE_SUCCEEDED")
        #expect(outcome.stepPhase("helper@2") == "TASK_EXECUTION_PHASE_SUCCEEDED")
        #expect(log("helper@1") == "helped\n")

        #expect(log("update-stdin").contains("<stdin> is valid; the run keeps the plan it started with"))
        #expect(log("update-invalid").contains("<stdin>:2:"))
        #expect(log("update-invalid").contains("status=2"))

        for name in ["one", "two", "three"] {
            #expect(project.read("\(name).starts") == "started\nstarted\n", "\(name) was started, then restarted")
        }
        #expect(log("restart-three").contains("three      running"))

        #expect(log("unsupported").contains("'gitpod organization list' is not available outside Gitpod"))
        // The error (stderr) and the status line (stdout) come through two pipes: their order in the log is not fixed.
        #expect(log("unsupported").contains("status=1\n"))
        #expect(
            await TestEnvironment.eventually(within: .seconds(10)) {
                ReliabilityTests.processes(marked: "SHIM_MARKER", marker).isEmpty
            }
        )
    }

    @Test func withoutTheShimTheCLIIsNotFound() async throws {
        let project = try Project(
            """
            tasks:
              open: {name: Open, command: "gitpod environment port open 3000"}
            """
        )
        defer { project.remove() }
        let outcome = try await project.runWithReports(["--no-cli-shim"])
        #expect(outcome.status == 1)
        #expect(outcome.step("open")["exitStatus"] as? Int == 127)
    }

    /// The variables real files read: the run's environment id (the one its API answers with), the repository's
    /// name and root; an `--env` of the user wins, and without the stand-ins (the real CLI reads them) none is set.
    /// (Standard error goes to standard output: through two pipes their order in the log cannot be kept.)
    @Test func commandsSeeTheEnvironmentTheirFilesRead() async throws {
        let project = try Project(
            """
            tasks:
              show:
                name: Show
                command: |
                  exec 2>&1
                  echo "$GITPOD_ENVIRONMENT_ID|$ONA_ENVIRONMENT_NAME|$GITPOD_REPO_ROOT"
                  gitpod automations task list -o json | grep -m1 environmentId
                  gitpod environment get "$GITPOD_ENVIRONMENT_ID" --format json | tr -d ' \\n'; echo
            """
        )
        defer { project.remove() }
        let result = try await project.run(["run"])
        #expect(result.status == 0, "\(result.stdout)")
        let lines = project.read(".automations/logs/tasks/show.log").split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(lines)")
        let fields = lines.first?.split(separator: "|", omittingEmptySubsequences: false).map(String.init) ?? []
        let root = URL(fileURLWithPath: project.root).resolvingSymlinksInPath().path
        #expect(fields.count == 3)
        #expect(UUID(uuidString: fields.first ?? "") != nil, "\(lines)")
        #expect(lines.dropFirst().first?.contains("\"environmentId\" : \"\(fields.first ?? "-")\"") == true, "\(lines)")
        // `gitpod environment get $GITPOD_ENVIRONMENT_ID -o json`, as real files read their environment's name.
        let folder = (root as NSString).lastPathComponent
        #expect(
            lines.last
                == "[{\"id\":\"\(fields.first ?? "-")\",\"metadata\":{\"name\":\"\(folder)\"},"
                + "\"status\":{\"phase\":\"ENVIRONMENT_PHASE_RUNNING\"}}]",
            "\(lines)"
        )
        #expect(fields.dropFirst().first == (root as NSString).lastPathComponent)
        #expect(fields.last == root || fields.last == project.root)

        let chosen = try await project.run(["run", "--env", "GITPOD_ENVIRONMENT_ID=mine"])
        #expect(chosen.status == 0)
        #expect(project.read(".automations/logs/tasks/show.log").hasPrefix("mine|"))

        let withoutShim = try await project.run(["run", "--no-cli-shim", "show"])
        #expect(withoutShim.status == 0)
        #expect(project.read(".automations/logs/tasks/show.log").contains("gitpod: command not found"))  // none here
        #expect(project.read(".automations/logs/tasks/show.log").hasPrefix("||\n"))
    }

    /// `serve` gives the commands it starts the environment id it prints, and so does a warm `task start`.
    @Test func serveGivesItsEnvironmentID() async throws {
        let project = try Project(
            """
            services:
              web:
                name: Web
                commands: {start: 'echo "$GITPOD_ENVIRONMENT_ID" > id.txt; exec sleep 600', ready: test -s id.txt}
            tasks:
              check: {name: Check, command: 'echo "$GITPOD_ENVIRONMENT_ID" > task-id.txt'}
            """
        )
        defer { project.remove() }
        let (server, output, _) = try BinaryRunner.start(["serve", "--port", "0"], in: project.root)
        #expect(await TestEnvironment.eventually { project.exists(".automations/state/endpoint") })
        let started = try await project.run(["service", "start", "web"])
        #expect(started.status == 0, "\(started.stderr)")
        #expect(await TestEnvironment.eventually { project.read("id.txt").hasSuffix("\n") })
        let printed = output.stdoutText.split(separator: "\n").first { $0.hasPrefix("environment ") }
        #expect(printed.map { "\($0.dropFirst("environment ".count))\n" } == project.read("id.txt"))
        // A warm check (`task start` here, against the server) sees the server's id too.
        let checked = try await project.run(["task", "start", "check"])
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(project.read("task-id.txt") == project.read("id.txt"))
        #expect(server.signalGroup(SIGTERM))
        #expect(await server.wait().termination == .exited(0))
    }
}
