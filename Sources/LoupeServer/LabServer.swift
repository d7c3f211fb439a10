import Foundation
import Hummingbird
import HummingbirdCore
import LoupeDaemon
import LoupeLab
import Logging

/// The HTTP door of `loupe run`: the JSON API under `/api/v1`, the event stream and the page.
///
/// Runs on swift-nio's threads beside the daemon's loop. It reads through read-only
/// connections and writes only through the daemon's `Gateway`, so the loop stays the lab's one
/// writer and every door takes files the same way.
package final class LabServer: Sendable {
    private let api: LabAPI
    private let address: ServerAddress

    package init(lab: String, address: ServerAddress, mailbox: Mailbox, live: LiveStatus, logger: Logger) throws {
        let gateway = try Gateway(lab: lab, mailbox: mailbox)
        let access = try Access(readers: gateway.readers, loopback: address.isLoopback)
        let settings = try gateway.readers.settings
        api = LabAPI(
            gateway: gateway, live: live, claims: Claims(duration: settings.server.claimMinutes * 60), access: access,
            settings: settings, logger: logger
        )
        self.address = address
    }

    /// Binds and starts serving on a background task; returns once the port is open, with the
    /// URL to give users, or throws why it could not open.
    package func start() throws -> String {
        for moved in api.gateway.recoverLeftovers() {
            api.logger.notice("an upload interrupted by a stop was moved to \(moved) for the daemon to take")
        }
        let descriptors = DescriptorLimit.raise()
        let connections = DescriptorLimit.connections(setting: api.settings.server.maxConnections, descriptors: descriptors)
        let router = Self.router(api)
        let opened = OpenedPort()
        let app = Application(
            responder: HeadAsGet(inner: router.buildResponder()),
            configuration: .init(
                address: .hostname(address.host, port: address.port), serverName: "Loupe",
                availableConnectionsDelegate: MaximumAvailableConnections(connections)
            ),
            onServerRunning: { channel in opened.set(.success(channel.localAddress?.port ?? 0)) },
            logger: api.logger
        )
        Task {
            do { try await app.run() } catch { opened.set(.failure(error)) }
        }
        let port = try opened.wait().get()
        return "http://\(address.hostForURL):\(port)/"
    }
}

extension LabServer {
    /// Every route of the lab behind its middleware: errors as JSON, then the host and origin
    /// rules, then who is calling; each route states the role it needs.
    static func router(_ api: LabAPI) -> Router<LabContext> {
        let router = Router(context: LabContext.self)
        router.middlewares.add(ErrorMiddleware(logger: api.logger))
        router.middlewares.add(GuardMiddleware(hosts: HostGuard(
            allowedHosts: api.settings.server.allowedHosts, allowedOrigins: api.settings.server.allowedOrigins
        )))
        router.middlewares.add(AuthMiddleware(access: api.access))
        ReadRoutes(api: api).add(to: router)
        WriteRoutes(api: api).add(to: router)
        HintRoutes(api: api).add(to: router)
        ControlRoutes(api: api).add(to: router)
        ReviewRoutes(api: api).add(to: router)
        LoginRoutes(api: api).add(to: router)
        EventStream(api: api).add(to: router)
        LabelStudioRoutes(api: api).add(to: router)
        PageRoutes().add(to: router)
        return router
    }
}

/// Hands the bound port (or the failure to bind) from the server's task to `start`.
private final class OpenedPort: @unchecked Sendable {
    private let ready = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var result: Result<Int, any Error>?

    func set(_ value: Result<Int, any Error>) {
        lock.lock()
        defer { lock.unlock() }
        guard result == nil else { return }
        result = value
        ready.signal()
    }

    func wait() -> Result<Int, any Error> {
        ready.wait()
        lock.lock()
        defer { lock.unlock() }
        return result!
    }
}
