import Foundation

/// `loupe.pid` in the lab, held with an exclusive flock for the daemon's life: a second daemon
/// on the same lab is refused, and a lock left by a killed process is released by the kernel.
package final class PidLock {
    private let fd: Int32
    package let path: String

    package init(lab: String) throws {
        path = "\(lab)/loupe.pid"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw DaemonError.cannotLock(path, String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.readPid(fd)
            close(fd)
            throw DaemonError.alreadyRunning(pid: holder)
        }
        let text = "\(getpid())\n"
        ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    deinit {
        ftruncate(fd, 0)
        close(fd)
    }

    /// The pid of the daemon running on `lab`, or nil when none holds the lock.
    package static func runningDaemon(lab: String) -> Int? {
        let fd = open("\(lab)/loupe.pid", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard flock(fd, LOCK_SH | LOCK_NB) != 0 else {
            flock(fd, LOCK_UN)
            return nil
        }
        return readPid(fd)
    }

    private static func readPid(_ fd: Int32) -> Int? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(fd, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return Int(String(decoding: buffer.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

package enum DaemonError: Error, CustomStringConvertible {
    case cannotLock(String, String)
    case alreadyRunning(pid: Int?)

    package var description: String {
        switch self {
        case .cannotLock(let path, let reason): "cannot open \(path): \(reason)"
        case .alreadyRunning(let pid): "a daemon is already running on this lab\(pid.map { " (pid \($0))" } ?? ""); stop it first"
        }
    }
}
