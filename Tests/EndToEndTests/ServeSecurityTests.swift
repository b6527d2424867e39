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

/// `automations serve` lets in only the user who started it: a token by default, no DNS rebinding, no web pages,
/// and a private state folder. Against the real binary, with requests as a browser page or another user would send.
@Suite(.timeLimit(.minutes(2)))
struct ServeSecurityTests {
    static let file = """
        tasks:
          hello: {name: Hello, command: "echo hello"}
        """
    /// Every RPC the server answers (the 17 of gitpod.v1.EnvironmentAutomationService and the ports of the stand-in).
    static let procedures =
        [
            "CreateService", "GetService", "ListServices", "UpdateService", "DeleteService", "StartService",
            "StopService", "UpsertAutomationsFile", "CreateTask", "GetTask", "ListTasks", "UpdateTask", "DeleteTask",
            "StartTask", "ListTaskExecutions", "GetTaskExecution", "StopTaskExecution",
        ].map { "/gitpod.v1.EnvironmentAutomationService/\($0)" }
        + ["OpenPort", "ClosePort", "GetPort", "ListPorts"].map { "/automations.v1.PortService/\($0)" }
    static let json = ["Content-Type": "application/json"]

    @Test func withoutTheTokenNothingIsAnswered() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        let server = try await ServeProcess.start(in: project)
        defer { server.running.signalGroup(SIGTERM) }  // should a check end the test early
        let token = try #require(server.token)
        #expect(token.count == 64 && token.allSatisfy(\.isHexDigit), "a random token of 256 bits: \(token)")
        let tasks = try await server.call("ListTasks", "{}")["tasks"] as? [[String: Any]]
        let taskID = try #require(tasks?.first?["id"] as? String)
        let started = try await server.call("StartTask", #"{"id":"\#(taskID)"}"#)
        let executionID = try #require((started["taskExecution"] as? [String: Any])?["id"] as? String)
        for path in ["/logs/executions/\(executionID)?follow=false", "/logs/services/none?follow=false"] {
            let log = try await server.request(path, method: "GET")
            #expect(log.status == 401 && log.body.contains("unauthenticated"), "\(path): \(log)")
        }
        let log = try await server.request(
            "/logs/executions/\(executionID)?follow=false",
            method: "GET",
            headers: ["Authorization": "Bearer \(token)"]
        )
        #expect(log.status == 200)
        // (With the token, UpsertAutomationsFile of `{}` empties the file: the logs are looked at first.)
        for procedure in Self.procedures {
            let none = try await server.request(procedure, headers: Self.json)
            #expect(none.status == 401 && none.body.contains(#""code":"unauthenticated""#), "\(procedure): \(none)")
            var wrong = Self.json
            wrong["Authorization"] = "Bearer " + String(token.dropLast()) + (token.hasSuffix("0") ? "1" : "0")
            let guessed = try await server.request(procedure, headers: wrong)
            #expect(guessed.status == 401, "\(procedure) with a wrong token: \(guessed)")
            // With the token, each is a real procedure (answered by its handler, not "no such procedure").
            wrong["Authorization"] = "Bearer \(token)"
            let right = try await server.request(procedure, headers: wrong)
            #expect(!right.body.contains("no such procedure"), "\(procedure): \(right)")
        }
        #expect(await server.stop().termination == .exited(0))
    }

    @Test func aRightTokenFromAForeignHostOrAWebPageIsRefused() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        let server = try await ServeProcess.start(in: project, ["--allow-host", "proxy.internal"])
        defer { server.running.signalGroup(SIGTERM) }  // should a check end the test early
        let token = try #require(server.token)
        let list = "/gitpod.v1.EnvironmentAutomationService/ListTasks"
        func ask(_ extra: [String: String]) async throws -> (status: Int, body: String) {
            try await server.request(
                list,
                headers: Self.json.merging(["Authorization": "Bearer \(token)"]) { $1 }.merging(extra) { $1 }
            )
        }
        for host in ["127.0.0.1:\(server.port)", "localhost:\(server.port)", "LOCALHOST", "proxy.internal"] {
            #expect(try await ask(["Host": host]).status == 200, "Host: \(host)")
        }
        for host in [
            "evil.example", "evil.example:\(server.port)", "127.0.0.1:\(server.port + 1)", "127.0.0.1.evil.example",
        ] {
            let answer = try await ask(["Host": host])
            #expect(
                answer.status == 403 && answer.body.contains(#""code":"permission_denied""#),
                "Host: \(host): \(answer)"
            )
        }
        let page = try await ask(["Origin": "http://evil.example"])
        #expect(page.status == 403 && page.body.contains("permission_denied"), "\(page)")
        // Log URLs too, before the token is looked at.
        let log = try await server.request(
            "/logs/services/x?follow=false",
            method: "GET",
            headers: ["Host": "evil.example"]
        )
        #expect(log.status == 403)
        // What a browser's cross-site form or preflight gets stays refused.
        let form = try await server.request(
            list,
            headers: ["Content-Type": "text/plain", "Authorization": "Bearer \(token)"]
        )
        #expect(form.body.contains("unimplemented"), "\(form)")
        let preflight = try await server.request(list, method: "OPTIONS", headers: ["Authorization": "Bearer \(token)"])
        #expect(preflight.status == 405)
        #expect(await server.stop().termination == .exited(0))
    }

    @Test func anAllowedOriginAndNoTokenAreExplicitChoices() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        let server = try await ServeProcess.start(
            in: project,
            ["--no-token", "--allow-origin", "http://ui.local:3000"]
        )
        defer { server.running.signalGroup(SIGTERM) }  // should a check end the test early
        #expect(server.token == nil)
        #expect(server.output.stderrText.contains("warning: serving without a token"))
        let list = "/gitpod.v1.EnvironmentAutomationService/ListTasks"
        #expect(try await server.request(list, headers: Self.json).status == 200)
        #expect(
            try await server.request(list, headers: Self.json.merging(["Origin": "http://ui.local:3000"]) { $1 }).status
                == 200
        )
        #expect(
            try await server.request(list, headers: Self.json.merging(["Origin": "http://ui.local"]) { $1 }).status
                == 403
        )

        let both = try await project.run(["serve", "--token", "x", "--no-token"])
        #expect(both.status == 2 && both.stderr.contains("--token and --no-token exclude each other"), "\(both.stderr)")
        #expect(await server.stop().termination == .exited(0))
    }

    @Test func theStateIsPrivateAndAnOpenStateFolderIsRefused() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        let server = try await ServeProcess.start(in: project)
        let tasks = try await server.call("ListTasks", "{}")["tasks"] as? [[String: Any]]
        let taskID = try #require(tasks?.first?["id"] as? String)
        _ = try await server.call("StartTask", #"{"id":"\#(taskID)"}"#)
        #expect(
            await TestEnvironment.eventually { Self.files(in: server.stateFolder).contains { $0.hasSuffix(".log") } }
        )
        let modes = Self.modes(below: server.stateFolder)
        #expect(modes[server.stateFolder] == 0o700)
        for name in ["endpoint", "services.json", "tasks.json", "executions.json", "environment.json"] {
            #expect(modes[server.stateFolder + "/" + name] == 0o600, "\(name): \(modes)")
        }
        #expect(modes.filter { $0.value & 0o077 != 0 }.isEmpty, "readable by others: \(modes)")
        #expect(await server.stop().termination == .exited(0))

        // A folder others can write is refused at start; one that is only readable is made private.
        try FileManager.default.createDirectory(atPath: project.path("open"), withIntermediateDirectories: true)
        chmod(project.path("open"), 0o777)
        let refused = try await project.run(["serve", "--port", "0", "--state-dir", "open"])
        #expect(refused.status == 2)
        #expect(
            refused.stderr.contains("'\(project.path("open"))' can be written by others (mode 777)"),
            "\(refused.stderr)"
        )
        chmod(server.stateFolder, 0o755)
        chmod(server.stateFolder + "/tasks.json", 0o644)
        let again = try await ServeProcess.start(in: project)
        #expect(Self.modes(below: server.stateFolder)[server.stateFolder + "/tasks.json"] == 0o600)
        #expect(Self.modes(below: server.stateFolder)[server.stateFolder] == 0o700)
        await again.stop()
    }

    @Test(.enabled(if: getuid() == 0, "needs root to act as a second user"))
    func anotherUserCanNeitherReadTheTokenNorStartAnything() async throws {
        let project = try Project(Self.file)
        defer { project.remove() }
        let server = try await ServeProcess.start(in: project)
        defer { server.running.signalGroup(SIGTERM) }  // should a check end the test early
        let nobody = 65534
        let asNobody = "setpriv --reuid=\(nobody) --regid=\(nobody) --clear-groups cat "
        // The repository is readable by others, as on a shared machine: only the state folder is not.
        let visible = try await BinaryRunner.runProgram(
            asNobody + BinaryRunner.quote(project.path(".gitpod/automations.yaml"))
        )
        #expect(visible.status == 0, "the test needs a project others can read: \(visible.stderr)")
        let read = try await BinaryRunner.runProgram(asNobody + BinaryRunner.quote(server.endpointFile))
        #expect(read.status != 0 && read.stderr.contains("Permission denied"), "\(read)")
        let created = try await server.request(
            "/gitpod.v1.EnvironmentAutomationService/CreateTask",
            body: #"{"metadata":{"reference":"evil","name":"Evil"},"spec":{"command":"touch pwned"}}"#,
            headers: Self.json,
            asUser: nobody
        )
        #expect(created.status == 401, "\(created)")
        let tasks = try await server.call("ListTasks", "{}")["tasks"] as? [[String: Any]] ?? []
        #expect(tasks.count == 1)
        let taskID = try #require(tasks.first?["id"] as? String)
        let started = try await server.request(
            "/gitpod.v1.EnvironmentAutomationService/StartTask",
            body: #"{"id":"\#(taskID)"}"#,
            headers: Self.json,
            asUser: nobody
        )
        #expect(started.status == 401, "\(started)")
        let executions = try await server.call("ListTaskExecutions", "{}")["taskExecutions"] as? [Any] ?? []
        #expect(executions.isEmpty)
        #expect(!project.exists("pwned"))
        #expect(await server.stop().termination == .exited(0))
    }

    static func files(in folder: String) -> [String] {
        (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String]) ?? []
    }

    /// The permission bits of the folder and of everything below it.
    static func modes(below folder: String) -> [String: mode_t] {
        var modes: [String: mode_t] = [:]
        for path in [folder] + files(in: folder).map({ folder + "/" + $0 }) {
            var info = stat()
            if lstat(path, &info) == 0 { modes[path] = info.st_mode & 0o777 }
        }
        return modes
    }
}
