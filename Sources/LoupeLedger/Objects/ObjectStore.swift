import Crypto
import Foundation

/// Immutable files named by the SHA-256 of their bytes: `objects/ab/abcdef...`.
/// Written to a temporary name, fsynced, then renamed, so a crash leaves either nothing or
/// the whole object; an existing object is never rewritten.
package struct ObjectStore: Sendable {
    package let root: String

    package init(root: String) {
        self.root = root
    }

    package static func sha256(_ bytes: [UInt8]) -> String {
        Array(SHA256.hash(data: bytes)).hexString
    }

    package func path(of sha: String) -> String {
        "\(root)/\(sha.prefix(2))/\(sha)"
    }

    package func contains(_ sha: String) -> Bool {
        FileManager.default.fileExists(atPath: path(of: sha))
    }

    /// Stores `bytes` and returns their SHA-256; a no-op when the object already exists.
    @discardableResult
    package func put(_ bytes: [UInt8], sha known: String? = nil) throws -> String {
        let sha = known ?? Self.sha256(bytes)
        let target = path(of: sha)
        guard !FileManager.default.fileExists(atPath: target) else { return sha }
        try InjectedWriteFault.check(writing: target)
        let folder = "\(root)/\(sha.prefix(2))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try DurableFile.write(bytes, to: target)
        return sha
    }

    package func read(_ sha: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path(of: sha)) else { throw LedgerError.objectMissing(sha) }
        return [UInt8](data)
    }

    /// The SHA of every stored object, in no particular order; temporary files are not objects.
    package func all() throws -> [String] {
        let manager = FileManager.default
        guard manager.fileExists(atPath: root) else { return [] }
        return try manager.contentsOfDirectory(atPath: root).filter { $0.count == 2 }.flatMap { folder in
            try manager.contentsOfDirectory(atPath: "\(root)/\(folder)").filter { $0.hasPrefix(folder) && $0.count == 64 }
        }
    }

    package func verify(_ sha: String) throws {
        let actual = Self.sha256(try read(sha))
        guard actual == sha else { throw LedgerError.objectCorrupt(sha256: sha, actual: actual) }
    }
}
