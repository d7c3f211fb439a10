import Foundation
import LoupeLedger

/// What identifies the file that was read: the one later removed or moved must be that file,
/// not one a writer put at the same path meanwhile (re-saving a mask replaces it).
public struct FileIdentity: Sendable, Equatable, Codable {
    var device: UInt64
    var inode: UInt64
    var size: Int
    var modifiedNanoseconds: Int

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int(info.st_size)
        modifiedNanoseconds = Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec)
    }

    /// What sits at `path` now, without following a link; nil when nothing does.
    public static func current(at path: String) -> FileIdentity? {
        FileReading.identity(at: path)
    }

    /// Seconds since the file last changed, by the wall clock.
    func age(now: Date = Date()) -> Double {
        now.timeIntervalSince1970 - Double(modifiedNanoseconds) / 1e9
    }
}

/// Why a dropped path could not be read. `isPropertyOfFile` tells a refusal (the file is not
/// something Loupe takes) from a condition that may pass (gone, changed, out of descriptors).
struct FileReadError: Error, CustomStringConvertible {
    let description: String
    let isPropertyOfFile: Bool

    static func posix(_ what: String, _ code: Int32) -> FileReadError {
        let text = "\(what): \(String(cString: strerror(code)))"
        switch code {
        case ELOOP: return FileReadError(description: "a symbolic link; links are never followed, drop the file itself", isPropertyOfFile: true)
        case EISDIR: return FileReadError(description: "a folder, not a file", isPropertyOfFile: true)
        case ENAMETOOLONG: return FileReadError(description: text, isPropertyOfFile: true)
        default: return FileReadError(description: text, isPropertyOfFile: false)
        }
    }
}

enum FileReading {
    /// Reads a regular file through one descriptor and says which file it was. Never follows a
    /// symbolic link and never waits on a FIFO: those are refused by what `fstat` says.
    static func read(_ path: String) throws -> (bytes: [UInt8], identity: FileIdentity) {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw FileReadError.posix("cannot open", errno) }
        defer { close(fd) }
        var before = stat()
        guard fstat(fd, &before) == 0 else { throw FileReadError.posix("cannot stat", errno) }
        guard before.st_mode & S_IFMT == S_IFREG else {
            throw FileReadError(description: "not a regular file (\(kind(of: before.st_mode)))", isPropertyOfFile: true)
        }
        var bytes = [UInt8](repeating: 0, count: Int(before.st_size))
        var offset = 0
        while true {
            if offset == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(4096, bytes.count / 2))) }
            let count = bytes.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileReadError.posix("cannot read", errno)
            }
            if count == 0 { break }
            offset += count
        }
        bytes.removeSubrange(offset...)
        var after = stat()
        guard fstat(fd, &after) == 0 else { throw FileReadError.posix("cannot stat", errno) }
        let identity = FileIdentity(after)
        guard FileIdentity(before) == identity, identity.size == offset else {
            throw FileReadError(description: "it changed while it was being read", isPropertyOfFile: false)
        }
        return (bytes, identity)
    }

    /// The identity of whatever sits at `path` now, without following a link.
    static func identity(at path: String) -> FileIdentity? {
        var info = stat()
        return lstat(path, &info) == 0 ? FileIdentity(info) : nil
    }

    static func kind(of mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a folder"
        case S_IFLNK: "a symbolic link"
        case S_IFIFO: "a FIFO"
        case S_IFSOCK: "a socket"
        case S_IFCHR, S_IFBLK: "a device"
        default: "not a regular file"
        }
    }

    /// Removes dropped files whose bytes objects/ now holds, then syncs each folder once.
    static func removeDropped(_ paths: [String]) throws {
        var folders: Set<String> = []
        for path in paths {
            guard unlink(path) == 0 || errno == ENOENT else { throw DurableFile.posixError("remove \(path)") }
            folders.insert((path as NSString).deletingLastPathComponent)
        }
        for folder in folders { try DurableFile.syncFolder(folder) }
    }
}
