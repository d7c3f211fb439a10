import Synchronization

/// The daemon's latest `DaemonStatus`, readable from any thread: the HTTP server's status and
/// progress stream read it here instead of waiting on the loop. Nil once the daemon stopped.
package final class LiveStatus: Sendable {
    private let current = Mutex<DaemonStatus?>(nil)

    package init() {}

    package var status: DaemonStatus? { current.withLock { $0 } }

    func update(_ status: DaemonStatus?) {
        current.withLock { $0 = status }
    }
}
