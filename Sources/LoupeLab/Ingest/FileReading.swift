import Foundation
import LoupeLedger

enum FileReading {
    static func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
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
