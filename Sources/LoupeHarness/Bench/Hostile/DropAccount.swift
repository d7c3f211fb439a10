import Crypto
import Foundation

/// One file a hostile case put into a drop folder, and where its bytes are now. A file is lost
/// when its last bytes are nowhere: not in objects/, not in rejected/, not still waiting in its
/// folder.
struct DroppedFile {
    var folder: String
    var name: String
    /// SHA-256 of the bytes the writer left there last; nil for an entry that is not a file.
    var sha: String?

    enum Whereabouts: String {
        case objects = "in objects/"
        case rejected = "in rejected/"
        case waiting = "still in its folder"
        case lost
    }
}

/// Reads a lab's objects/ and rejected/ to find dropped files' bytes.
struct DropAccount {
    let lab: String
    private var rejectedHashes: Set<String> = []
    private var rejectedNames: Set<String> = []

    init(lab: String) {
        self.lab = lab
        let rejected = "\(lab)/rejected"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: rejected)) ?? [] where !name.hasSuffix(".reason.txt") {
            rejectedNames.insert(name)
            if let data = FileManager.default.contents(atPath: "\(rejected)/\(name)") {
                rejectedHashes.insert(Self.sha256(Array(data)))
            }
        }
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    func whereabouts(of file: DroppedFile) -> DroppedFile.Whereabouts {
        if let sha = file.sha {
            if FileManager.default.fileExists(atPath: "\(lab)/objects/\(sha.prefix(2))/\(sha)") { return .objects }
            if rejectedHashes.contains(sha) { return .rejected }
        } else if rejectedNames.contains(where: { $0 == file.name || $0.hasSuffix("-\(file.name)") }) {
            return .rejected
        }
        var info = stat()
        return lstat("\(lab)/\(file.folder)/\(file.name)", &info) == 0 ? .waiting : .lost
    }
}
