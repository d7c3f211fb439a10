import Foundation
import LoupeVision

/// The steps an image and a mask share on their way in: read the file that is there, and
/// tell a property of the file (refuse it) from a condition that may pass (leave it).
enum DropExamination {
    enum Early: Error {
        case refused(Refusal)
        case deferred(String)
    }

    static func read(_ path: String) throws(Early) -> (bytes: [UInt8], identity: FileIdentity) {
        do {
            return try FileReading.read(path)
        } catch let error as FileReadError {
            throw error.isPropertyOfFile
                ? .refused(Refusal(sha: "", reason: error.description, identity: FileReading.identity(at: path)))
                : .deferred(error.description)
        } catch {
            throw .deferred("\(error)")
        }
    }

    /// What to do with a file whose bytes were read but not taken: an incomplete file is waited
    /// for while it changed less than `grace` seconds ago, then refused as truncated.
    static func classify(_ error: any Error, sha: String, identity: FileIdentity, grace: Double) -> Early {
        if case ImageDecodingError.incomplete = error {
            let age = identity.age()
            if age < grace {
                return .deferred("\(error); waiting while it is younger than \(Int(grace)) s (now \(Int(max(0, age))) s)")
            }
            return .refused(Refusal(sha: sha, reason: "truncated: \(error), unchanged for \(Int(age)) s", identity: identity))
        }
        // An error of the disk or the process, not of the file: the same file may go in later.
        if TransientFault.isPOSIX(error) { return .deferred("\(error)") }
        return .refused(Refusal(sha: sha, reason: "\(error)", identity: identity))
    }
}
