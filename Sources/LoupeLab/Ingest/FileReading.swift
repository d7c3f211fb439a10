import Foundation
import LoupeLedger

/// What identifies the file that was read: the one later removed or moved must be that file,
/// not one a writer put at the same path meanwhile (re-saving a mask replaces it).
package struct FileIdentity: Sendable, Equatable, Codable {
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
    package static func current(at path: String) -> FileIdentity? {
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

    /// Moves the file at `path` to `target` if it is still the file that was read. The move
    /// comes first and the check after, on the moved file: a writer replacing the path meanwhile
    /// (a re-save) then only ever replaces it in the folder, and a newer file caught by the move
    /// is put back. Returns whether the moved file was the expected one.
    static func move(_ path: String, to target: String, ifStill identity: FileIdentity?) throws -> Bool {
        guard rename(path, target) == 0 else {
            if errno == ENOENT { return false }
            throw DurableFile.posixError("move \(path)")
        }
        guard let identity, Self.identity(at: target) != identity else { return true }
        if link(target, path) == 0 {
            unlink(target)
        } else {
            // A third file took the name meanwhile: keep this one beside it, under a name the
            // daemon reads like any other drop.
            rename(target, "\(path).resaved-\(Self.identity(at: target)?.inode ?? 0)")
        }
        return false
    }

    /// Removes dropped files whose bytes objects/ now holds, each only if it is still the file
    /// that was read, then syncs each folder once.
    static func removeDropped(_ files: [(path: String, identity: FileIdentity?)]) throws {
        var folders: Set<String> = []
        for (path, identity) in files {
            let folder = (path as NSString).deletingLastPathComponent
            let taking = "\(folder)/\(Workspace.takingPrefix)\(getpid())-\(identity?.inode ?? 0)"
            if try move(path, to: taking, ifStill: identity) { unlink(taking) }
            folders.insert(folder)
        }
        for folder in folders { try DurableFile.syncFolder(folder) }
    }
}
