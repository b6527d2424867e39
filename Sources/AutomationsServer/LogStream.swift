import AutomationsAPI
import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle
import Synchronization

/// `GET /logs/services/ID` and `/logs/executions/ID`: the log as plain text, streamed while it grows, ending when
/// the service or execution ends.
enum LogStream {
    static func response(for path: String, host: AutomationsHost, follow: Bool = true) async -> Response {
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
                    try await stream(
                        file,
                        kind: kind,
                        id: id,
                        host: host,
                        follow: follow,
                        writer: &writer,
                        stop: shuttingDown
                    )
                } onGracefulShutdown: {
                    shuttingDown.store(true, ordering: .relaxed)
                }
                try await writer.finish(nil)
            }
        )
    }

    private static func stream(
        _ file: String,
        kind: String,
        id: String,
        host: AutomationsHost,
        follow: Bool,
        writer: inout any ResponseBodyWriter,
        stop: borrowing Atomic<Bool>
    ) async throws {
        var offset: UInt64 = 0
        while true {
            let live = follow ? await host.log(kind: kind, id: id)?.live ?? false : false
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
