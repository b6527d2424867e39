import AutomationsRuntime
import AutomationsTestSupport
import Foundation
import Testing

/// A running `automations serve`, as a user starts it: the URL it printed, and the token from its endpoint file.
struct ServeProcess {
    let running: RunningCommand
    let output: CollectingSink
    let url: String
    /// The state folder (absolute).
    let stateFolder: String

    /// Starts `automations serve --port 0 --state-dir STATE ARGUMENTS` in the project and waits for its first line.
    static func start(
        in project: Project,
        stateDir: String = "state",
        _ arguments: [String] = [],
        environment: [String: String] = [:]
    ) async throws -> ServeProcess {
        let (running, output, _) = try BinaryRunner.start(
            ["serve", "--port", "0", "--state-dir", stateDir] + arguments,
            in: project.root,
            environment: environment
        )
        var url = ""
        _ = await TestEnvironment.eventually(within: .seconds(20)) {
            let first = output.stdoutText.split(separator: "\n").first ?? ""
            guard first.hasPrefix("listening on ") else { return running.result != nil }
            url = String(first.dropFirst("listening on ".count))
            return true
        }
        #expect(!url.isEmpty, "serve printed: \(output.stdoutText) \(output.stderrText)")
        let server = ServeProcess(running: running, output: output, url: url, stateFolder: project.path(stateDir))
        // The endpoint file is written right after the first line.
        _ = await TestEnvironment.eventually { FileManager.default.fileExists(atPath: server.endpointFile) }
        return server
    }

    var endpointFile: String { stateFolder + "/endpoint" }

    /// The token in the endpoint file; `nil` when it holds none.
    var token: String? {
        guard let data = FileManager.default.contents(atPath: endpointFile),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return object["token"] as? String
    }

    /// The port served.
    var port: Int { Int(url.split(separator: ":").last ?? "") ?? 0 }

    /// One HTTP request through python3's urllib, run as `user` when given (`setpriv`); the status and the body.
    func request(
        _ path: String,
        method: String = "POST",
        body: String = "{}",
        headers: [String: String] = [:],
        asUser user: Int? = nil
    ) async throws -> (status: Int, body: String) {
        let script = """
            import sys, json, urllib.request, urllib.error
            url, method, body, headers = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
            request = urllib.request.Request(url, data=None if method == "GET" else body.encode(), headers=headers, method=method)
            try:
                answer = urllib.request.urlopen(request, timeout=10)
                status, text = answer.status, answer.read().decode()
            except urllib.error.HTTPError as error:
                status, text = error.code, error.read().decode()
            print(status)
            print(text, end="")
            """
        let headerJSON = String(decoding: try JSONSerialization.data(withJSONObject: headers), as: UTF8.self)
        let prefix = user.map { "setpriv --reuid=\($0) --regid=\($0) --clear-groups " } ?? ""
        let result = try await BinaryRunner.runProgram(
            prefix + "python3 -c \(BinaryRunner.quote(script)) \(BinaryRunner.quote(url + path)) "
                + "\(method) \(BinaryRunner.quote(body)) \(BinaryRunner.quote(headerJSON))"
        )
        #expect(result.status == 0, "\(path): \(result.stderr)")
        let lines = result.stdout.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        return (Int(lines.first ?? "") ?? 0, lines.count > 1 ? String(lines[1]) : "")
    }

    /// Calls an RPC of the automations service with the token; the decoded answer (status 200 expected).
    func call(_ method: String, _ body: String) async throws -> [String: Any] {
        var headers = ["Content-Type": "application/json"]
        if let token { headers["Authorization"] = "Bearer \(token)" }
        let answer = try await request(
            "/gitpod.v1.EnvironmentAutomationService/\(method)",
            body: body,
            headers: headers
        )
        #expect(answer.status == 200, "\(method): \(answer.body)")
        return (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]) ?? [:]
    }

    /// Stops the server with SIGTERM and waits for it.
    @discardableResult
    func stop() async -> CommandResult {
        running.signalGroup(SIGTERM)
        return await running.wait()
    }
}
