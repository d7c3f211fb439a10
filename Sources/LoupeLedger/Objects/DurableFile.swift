import Foundation
import Synchronization

/// Whole-file writes that survive a crash: temporary file, fsync, rename, fsync of the folder.
package enum DurableFile {
    /// Temporary names are `.NAME-N.PID.tmp`: hidden, marked with the writer's process, and
    /// numbered within it, so two threads writing one path (the daemon and an on-demand
    /// prediction storing the same mask) never share a temporary file.
    static let temporarySuffix = ".tmp"
    private static let written = Atomic<Int>(0)

    /// `syncFolder: false` leaves the rename itself undurable: after a crash the path holds
    /// either the old file or the new one, whole, for callers to whom the old one will do.
    package static func write(_ bytes: [UInt8], to path: String, syncFolder: Bool = true) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let number = written.add(1, ordering: .relaxed).newValue
        let temporary = "\(folder)/.\((path as NSString).lastPathComponent)-\(number).\(getpid())\(temporarySuffix)"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw posixError("open \(temporary)") }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            guard written > 0 else {
                close(fd)
                unlink(temporary)
                throw posixError("write \(temporary)")
            }
            offset += written
        }
        guard fsync(fd) == 0 else {
            close(fd)
            throw posixError("fsync \(temporary)")
        }
        close(fd)
        guard rename(temporary, path) == 0 else { throw posixError("rename to \(path)") }
        if syncFolder { try Self.syncFolder(folder) }
    }

    /// Makes a rename or unlink in `folder` durable.
    package static func syncFolder(_ folder: String) throws {
        let fd = open(folder, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw posixError("open \(folder)") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw posixError("fsync \(folder)") }
    }

    package static func posixError(_ what: String) -> NSError {
        let code = errno
        return NSError(domain: NSPOSIXErrorDomain, code: Int(code), userInfo: [
            NSLocalizedDescriptionKey: "\(what): \(String(cString: strerror(code)))",
        ])
    }
}
