package import AutomationsAPI
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

/// `automations serve`'s HTTP side: the Connect routes and the log streams of one ``AutomationsHost`` over
/// Hummingbird, run with the host in one `ServiceGroup` that shuts both down gracefully on SIGTERM or SIGINT.
package struct APIServer: Sendable {
    package let host: AutomationsHost
    package var address: String
    package var port: Int
    /// When set, every RPC needs `Authorization: Bearer TOKEN`.
    package var token: String?
    /// Host names a request's `Host` may name besides the loopback names and `address` (a reverse proxy's).
    package var allowedHosts: [String] = []
    /// `Origin`s that are let in; requests with any other `Origin` are refused.
    package var allowedOrigins: [String] = []
    /// When set, the server listens on this Unix socket instead of `address` and `port`.
    package var unixSocketPath: String?

    package init(host: AutomationsHost, address: String, port: Int, token: String?) {
        self.host = host
        self.address = address
        self.port = port
        self.token = token
    }

    /// Serves until SIGTERM or SIGINT; then the server stops accepting, and the host stops every execution and
    /// service and saves its state. `onListening` gets `http://HOST:PORT` once the port is bound.
    package func run(onListening: @escaping @Sendable (String) async -> Void) async throws {
        var logger = Logger(label: "automations-serve") { label in StreamLogHandler.standardError(label: label) }
        // The server library's own messages go to standard error, warnings and worse only: standard output is the
        // caller's (it starts with the `listening on` line).
        logger.logLevel = .warning
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: host),
                    .init(service: application(onListening: onListening, logger: logger)),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }

    /// Serves until `stopped` returns, then shuts down gracefully; without the host (whose owner runs it) and
    /// without watching signals (a run watches them itself). `onListening` gets the URL (`unix:PATH` for a socket).
    package func run(
        until stopped: @escaping @Sendable () async -> Void,
        onListening: @escaping @Sendable (String) async -> Void
    ) async throws {
        var logger = Logger(label: "automations-run-api") { label in StreamLogHandler.standardError(label: label) }
        logger.logLevel = .warning
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: application(onListening: onListening, logger: logger)),
                    .init(service: StopWhen(stopped: stopped), successTerminationBehavior: .gracefullyShutdownGroup),
                ],
                logger: logger
            )
        )
        try await group.run()
    }

    /// The Hummingbird application (tests drive it with `app.test(.router)`).
    func application(
        onListening: @escaping @Sendable (String) async -> Void = { _ in },
        logger: Logger = Logger(label: "automations-serve")
    ) -> some ApplicationProtocol {
        let host = self.host
        let address = self.address
        let socketPath = unixSocketPath
        // A Unix socket (in a folder only this user can enter) is reached by no web page: any Host will do there.
        let policy =
            socketPath == nil
            ? AccessPolicy.tcp(
                token: token,
                address: address,
                extraHosts: allowedHosts,
                allowedOrigins: allowedOrigins
            )
            : AccessPolicy(token: token, allowedOrigins: Set(allowedOrigins))
        let boundPort = BoundPort()
        return Application(
            responder: APIResponder(host: host, policy: policy, port: boundPort).responder,
            configuration: .init(
                address: socketPath.map { .unixDomainSocket(path: $0) } ?? .hostname(address, port: port)
            ),
            onServerRunning: { channel in
                boundPort.value.store(channel.localAddress?.port ?? 0, ordering: .relaxed)
                let url = socketPath.map { "unix:\($0)" } ?? "http://\(address):\(channel.localAddress?.port ?? 0)"
                await host.setBaseURL(url)
                await onListening(url)
            },
            logger: logger
        )
    }
}

/// Returns when `stopped` does, which shuts its service group down gracefully.
private struct StopWhen: Service {
    let stopped: @Sendable () async -> Void

    func run() async throws {
        await cancelWhenGracefulShutdown { await stopped() }
    }
}
