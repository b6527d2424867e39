import AutomationsRuntime
import AutomationsTestSupport
import Foundation
import Testing

/// A real nginx with WebDAV PUT on a free loopback port, serving `/cache/` from a folder of its own: the shared
/// cache of Bazel's HTTP protocol, as teams run it. Started by the test and stopped by it.
final class NginxWebDAV {
    let folder: String
    let port: Int
    private let process: RunningCommand

    var url: String { "http://127.0.0.1:\(port)/cache" }

    init() async throws {
        let folder = try TestEnvironment.directory()
        self.folder = folder
        var started: (Int, RunningCommand)?
        for _ in 0..<5 where started == nil {
            let port = Int.random(in: 20_000..<60_000)
            try Self.configuration(port: port, folder: folder).write(
                toFile: folder + "/nginx.conf",
                atomically: false,
                encoding: .utf8
            )
            let nginx =
                ["/usr/sbin/nginx", "/usr/bin/nginx"].first(where: FileManager.default.isExecutableFile) ?? "nginx"
            let spec = TestEnvironment.spec("exec \(nginx) -c \(folder)/nginx.conf -p \(folder)", in: folder)
            let process = try ProcessRuntime.start(spec, output: DiscardingOutputSink())
            let up = await TestEnvironment.eventually(within: .seconds(5)) {
                (try? String(contentsOfFile: folder + "/nginx.pid", encoding: .utf8)) != nil
                    && Self.answers(port: port)
            }
            if up {
                started = (port, process)
            } else {
                _ = await process.stop(grace: .seconds(1))
            }
        }
        guard let (port, process) = started else { throw NginxError.didNotStart(folder) }
        self.port = port
        self.process = process
    }

    func stop() async {
        _ = await process.stop(grace: .seconds(5))
    }

    /// Every stored file under `/cache/`.
    var storedFiles: [String] {
        (FileManager.default.enumerator(atPath: folder + "/store/cache")?.allObjects as? [String] ?? []).filter {
            $0.contains("/")
        }
    }

    private static func answers(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    private static func configuration(port: Int, folder: String) -> String {
        """
        daemon off;
        master_process off;
        worker_processes 1;
        error_log \(folder)/error.log;
        pid \(folder)/nginx.pid;
        events { worker_connections 64; }
        http {
            access_log off;
            client_body_temp_path \(folder)/body;
            proxy_temp_path \(folder)/proxy;
            fastcgi_temp_path \(folder)/fastcgi;
            uwsgi_temp_path \(folder)/uwsgi;
            scgi_temp_path \(folder)/scgi;
            server {
                listen 127.0.0.1:\(port);
                client_max_body_size 1g;
                location /cache/ {
                    root \(folder)/store;
                    dav_methods PUT;
                    create_full_put_path on;
                }
            }
        }
        """
    }

    enum NginxError: Error {
        case didNotStart(String)
    }
}
