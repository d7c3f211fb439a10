import Foundation
import LoupeLab

/// Read-only workspaces for the request handlers: each has its own SQLite connection, which
/// WAL lets read while the loop writes. A workspace is used by one request at a time (it is
/// not thread-safe), so requests check one out and give it back.
///
/// `@unchecked Sendable`: the idle list is only touched under `lock`, and a checked-out
/// workspace belongs to the one caller that took it.
package final class ReaderPool: @unchecked Sendable {
    package let lab: String
    private let lock = NSLock()
    private var idle: [Workspace] = []

    package init(lab: String) throws {
        self.lab = lab
        idle.append(try Workspace(at: lab, readOnly: true))
    }

    package func read<Result>(_ body: (Workspace) throws -> Result) throws -> Result {
        let workspace = try checkOut()
        defer { checkIn(workspace) }
        return try body(workspace)
    }

    /// The lab's settings, as the daemon loaded them at start.
    package var settings: Settings {
        get throws { try read { $0.settings } }
    }

    private func checkOut() throws -> Workspace {
        lock.lock()
        let workspace = idle.popLast()
        lock.unlock()
        return try workspace ?? Workspace(at: lab, readOnly: true)
    }

    private func checkIn(_ workspace: Workspace) {
        lock.lock()
        if idle.count < 16 { idle.append(workspace) }
        lock.unlock()
    }
}
