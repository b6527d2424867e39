import ArgumentParser
import AutomationsAPI
import AutomationsConfig
import AutomationsModel
import AutomationsRuntime
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// `automations serve`: the public automations API over the same runtime as `run`.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the public gitpod.v1.EnvironmentAutomationService API (Connect, JSON and protobuf).",
        discussion: """
            The first line printed is `listening on http://HOST:PORT`, the second the environment id. With a file (given \
            or found), it is applied at start, and items triggered by postEnvironmentStart or postDevcontainerStart \
            are started. SIGINT or SIGTERM stops every execution and service, then the server exits 0.

            Example:
              automations serve --port 0 --token local-token
            """
    )

    @Option(name: [.short, .long], help: ArgumentHelp("An automations file to apply at start.", valueName: "path"))
    var file: String?

    @Option(help: "The address to bind.")
    var host = "127.0.0.1"

    @Option(help: "The port; 0 picks a free one.")
    var port = 0

    @Option(help: ArgumentHelp("Where the state and the logs are kept. Default: .automations/state.", valueName: "dir"))
    var stateDir = ".automations/state"

    @Option(
        help: ArgumentHelp("Require `Authorization: Bearer TOKEN` (default: $AUTOMATIONS_TOKEN).", valueName: "token")
    )
    var token: String?

    @Option(help: ArgumentHelp("Grace period for stopping a service before it is killed.", valueName: "duration"))
    var stopTimeout = "2m"

    func run() async throws {
        let fileOptions = try FileOptions.parse(file.map { ["--file", $0] } ?? [])
        let directory = FileManager.default.currentDirectoryPath
        let loaded: LoadedAutomationsFile? =
            file != nil || AutomationsFileLocator.locate(from: directory) != nil ? try fileOptions.load() : nil
        guard let grace = DurationText.parseWithUnits(stopTimeout) else {
            throw fileOptions.fail("--stop-timeout '\(stopTimeout)' is not a duration; write it like 30s or 2m")
        }
        ProcessRuntime.becomeSubreaper()
        let state = URL(fileURLWithPath: stateDir, relativeTo: URL(fileURLWithPath: directory)).standardizedFileURL.path
        let files = StateFiles(directory: state)
        let snapshot: StateFiles.Snapshot?
        do {
            snapshot = try files.load()
        } catch {
            throw fileOptions.fail("cannot read the saved state in '\(state)': \(error)")
        }
        let host = AutomationsHost(
            store: AutomationStore(environmentID: snapshot?.environmentID ?? UUID().uuidString.lowercased()),
            workingDirectory: loaded?.rootDirectory ?? directory,
            environment: ProcessInfo.processInfo.environment,
            logDirectory: state + "/logs",
            serviceStopGrace: grace
        )
        await host.persist(in: files, restoring: snapshot)
        let connect = ConnectServer(
            routes: EnvironmentAutomationRoutes.make(host),
            token: token ?? ProcessInfo.processInfo.environment["AUTOMATIONS_TOKEN"]
        )
        let responder = CallbackResponder { (request: Request, _: BasicRequestContext) -> Response in
            if request.method == .get, request.uri.path.hasPrefix("/logs/") {
                return await LogStream.response(for: request.uri.path, host: host)
            }
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: ConnectServer.bodyLimit)
            } catch {
                let limit = ConnectServer.bodyLimit
                return Self.response(
                    ConnectServer.error(
                        ConnectError(.resourceExhausted, "the request body is larger than \(limit) bytes")
                    )
                )
            }
            var query: [String: String] = [:]
            for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let answer = await connect.handle(
                HTTPRequestParts(
                    method: request.method.rawValue,
                    path: request.uri.path,
                    query: query,
                    headers: headers,
                    body: Array(buffer: body)
                )
            )
            return Self.response(answer)
        }
        let bindHost = self.host
        let environmentID = await host.store.environmentID
        // The server library's own messages go to standard error, warnings and worse only: standard output starts
        // with the `listening on` line.
        var logger = Logger(label: "automations-serve") { label in StreamLogHandler.standardError(label: label) }
        logger.logLevel = .warning
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname(bindHost, port: port)),
            onServerRunning: { channel in
                let url = "http://\(bindHost):\(channel.localAddress?.port ?? 0)"
                await host.setBaseURL(url)
                // One write, unbuffered: whoever started the server reads this line to find the port.
                FileHandle.standardOutput.write(Data("listening on \(url)\nenvironment \(environmentID)\n".utf8))
                if let loaded {
                    do {
                        try await host.applyAtStart(loaded.file)
                    } catch {
                        FileHandle.standardError.write(Data("error: applying \(loaded.displayPath): \(error)\n".utf8))
                    }
                }
            },
            logger: logger
        )
        try await app.runService()
        await host.shutdown()
        await ProcessRuntime.sweepEscapedProcesses()
    }
}

extension Serve {
    /// The HTTP response for a Connect answer.
    static func response(_ answer: HTTPResponseParts) -> Response {
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        return Response(
            status: .init(code: answer.status),
            headers: fields,
            body: .init(byteBuffer: ByteBuffer(bytes: answer.body))
        )
    }
}

/// `GET /logs/services/ID` and `/logs/executions/ID`: the log as plain text, streamed while it grows, ending when
/// the service or execution ends.
enum LogStream {
    static func response(for path: String, host: AutomationsHost) async -> Response {
        let parts = path.split(separator: "/")
        guard parts.count == 3, let found = await host.log(kind: String(parts[1]), id: String(parts[2])) else {
            return Response(status: .notFound, body: .init(byteBuffer: ByteBuffer(string: "no such log\n")))
        }
        let file = found.path
        let kind = String(parts[1])
        let id = String(parts[2])
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(
            status: .ok,
            headers: headers,
            body: ResponseBody { writer in
                // A stream of a running service never ends by itself: a shutdown of the server ends it.
                let shuttingDown = Atomic<Bool>(false)
                try await withGracefulShutdownHandler {
                    try await follow(file, kind: kind, id: id, host: host, writer: &writer, stop: shuttingDown)
                } onGracefulShutdown: {
                    shuttingDown.store(true, ordering: .relaxed)
                }
                try await writer.finish(nil)
            }
        )
    }

    private static func follow(
        _ file: String,
        kind: String,
        id: String,
        host: AutomationsHost,
        writer: inout any ResponseBodyWriter,
        stop: borrowing Atomic<Bool>
    ) async throws {
        var offset: UInt64 = 0
        while true {
            let live = await host.log(kind: kind, id: id)?.live ?? false
            if let handle = FileHandle(forReadingAtPath: file) {
                try handle.seek(toOffset: offset)
                let data = handle.readDataToEndOfFile()
                try handle.close()
                if !data.isEmpty {
                    offset += UInt64(data.count)
                    try await writer.write(ByteBuffer(bytes: data))
                }
            }
            if !live || stop.load(ordering: .relaxed) { break }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}
