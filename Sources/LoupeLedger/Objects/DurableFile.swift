import Foundation

/// Whole-file writes that survive a crash: temporary file, fsync, rename, fsync of the folder.
public enum DurableFile {
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = "\(folder)/.\((path as NSString).lastPathComponent).\(getpid()).tmp"
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
        try syncFolder(folder)
    }

    /// Makes a rename or unlink in `folder` durable.
    public static func syncFolder(_ folder: String) throws {
        let fd = open(folder, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw posixError("open \(folder)") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw posixError("fsync \(folder)") }
    }

    public static func posixError(_ what: String) -> NSError {
        let code = errno
        return NSError(domain: NSPOSIXErrorDomain, code: Int(code), userInfo: [
            NSLocalizedDescriptionKey: "\(what): \(String(cString: strerror(code)))",
        ])
    }
}
