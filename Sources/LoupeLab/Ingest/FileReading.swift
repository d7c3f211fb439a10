import Foundation
import LoupeLedger

enum FileReading {
    static func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Removes a dropped file whose bytes objects/ now holds, durably.
    static func removeDropped(_ path: String) throws {
        guard unlink(path) == 0 || errno == ENOENT else { throw DurableFile.posixError("remove \(path)") }
        try DurableFile.syncFolder((path as NSString).deletingLastPathComponent)
    }
}
