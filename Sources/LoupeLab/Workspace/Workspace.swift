import Foundation
import LoupeLedger
import LoupeVision

/// One lab folder: its settings, its ledger and its object store, and every operation on
/// them. The daemon, the command line and the harness reach the ledger and the model only
/// through a workspace's methods.
///
/// A workspace is used from one thread at a time, like the ledger it owns.
package final class Workspace {
    package let root: String
    package let settings: Settings
    let ledger: Ledger
    let objects: ObjectStore
    /// The hint sessions of the images being worked on (see `HintSessions`).
    let hintSessions = HintSessions()

    package static let settingsFile = "loupe.json"
    package static let databaseFile = "loupe.sqlite"
    package static let folders = ["inbox", "corrections", "predictions", "rejected", "objects"]

    package var inbox: String { "\(root)/inbox" }
    package var corrections: String { "\(root)/corrections" }
    package var predictions: String { "\(root)/predictions" }
    package var rejected: String { "\(root)/rejected" }
    package var databasePath: String { "\(root)/\(Self.databaseFile)" }
    package var settingsPath: String { Self.settingsPath(lab: root) }
    var projections: Projections { ledger.projections }

    package static func settingsPath(lab: String) -> String { "\(lab)/\(settingsFile)" }
    package static func databasePath(lab: String) -> String { "\(lab)/\(databaseFile)" }

    /// Opens an existing workspace; `readOnly` for commands that only look while a daemon writes.
    package init(at root: String, readOnly: Bool = false, clock: @escaping () -> Date = Date.init) throws {
        let root = Self.absolute(root)
        guard FileManager.default.fileExists(atPath: "\(root)/\(Self.settingsFile)") else {
            throw WorkspaceError.notAWorkspace(root)
        }
        self.root = root
        settings = try Settings.load(from: "\(root)/\(Self.settingsFile)")
        if !readOnly {
            for folder in Self.folders {
                try FileManager.default.createDirectory(atPath: "\(root)/\(folder)", withIntermediateDirectories: true)
            }
        }
        try Self.refuseNewLedgerBesideOldState(root)
        ledger = try Ledger(path: "\(root)/\(Self.databaseFile)", readOnly: readOnly, clock: clock)
        objects = ObjectStore(root: "\(root)/objects")
    }

    /// Creates the layout of a workspace in `root`, or completes one that exists.
    /// Refuses a folder that holds anything but a workspace, so `init` never mixes a lab into
    /// someone's files. Returns whether anything was created.
    @discardableResult
    package static func initialize(at root: String) throws -> Bool {
        let root = absolute(root)
        let manager = FileManager.default
        let existing = (try? manager.contentsOfDirectory(atPath: root)) ?? []
        let isWorkspace = existing.contains(settingsFile)
        if !isWorkspace {
            let foreign = existing.filter { !$0.hasPrefix(".") }
            guard foreign.isEmpty else { throw WorkspaceError.folderNotEmpty(root, foreign.sorted()) }
        }
        try manager.createDirectory(atPath: root, withIntermediateDirectories: true)
        for folder in folders {
            try manager.createDirectory(atPath: "\(root)/\(folder)", withIntermediateDirectories: true)
        }
        if !isWorkspace {
            try DurableFile.write(try Settings().encoded(), to: "\(root)/\(settingsFile)")
        }
        try refuseNewLedgerBesideOldState(root)
        _ = try Ledger(path: "\(root)/\(databaseFile)")
        return !isWorkspace
    }

    /// A lab whose database is gone but whose objects or head anchor remain lost its log:
    /// opening it must not quietly start an empty one beside what the old one recorded.
    static func refuseNewLedgerBesideOldState(_ root: String) throws {
        let database = databasePath(lab: root)
        guard !FileManager.default.fileExists(atPath: database) else { return }
        let objects = try ObjectStore(root: "\(root)/objects").all().count
        if objects > 0 { throw WorkspaceError.ledgerMissing(root, objects: objects) }
        let anchorPath = HeadAnchor.path(forDatabase: database)
        if let anchor = try HeadAnchor.read(from: anchorPath) { throw WorkspaceError.ledgerMissingBesideAnchor(root, anchor) }
    }

    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}

package enum WorkspaceError: Error, Equatable, CustomStringConvertible {
    case notAWorkspace(String)
    case folderNotEmpty(String, [String])
    case ledgerMissing(String, objects: Int)
    case ledgerMissingBesideAnchor(String, HeadAnchor)

    package var description: String {
        switch self {
        case .notAWorkspace(let root):
            return "\(root) is not a Loupe workspace (no \(Workspace.settingsFile)); create one with `loupe init --lab \(root)`"
        case .folderNotEmpty(let root, let entries):
            let shown = entries.prefix(5).joined(separator: ", ") + (entries.count > 5 ? ", ..." : "")
            return "\(root) already holds other files (\(shown)); choose an empty folder or an existing workspace"
        case .ledgerMissing(let root, let objects):
            return "\(root) holds \(objects) object\(objects == 1 ? "" : "s") but no \(Workspace.databaseFile): its event log is lost; "
                + "restore \(Workspace.databaseFile) from a backup (a new, empty log is not started beside old objects)"
        case .ledgerMissingBesideAnchor(let root, let anchor):
            return "\(root) has no \(Workspace.databaseFile) but its head anchor says the log reached \(anchor): "
                + "restore \(Workspace.databaseFile) from a backup (a new, empty log is not started in its place)"
        }
    }
}

extension Workspace {
    /// Replaces `loupe.json` (temporary file, fsync, rename); takes effect when the lab is next opened.
    package func writeSettings(_ settings: Settings) throws {
        try DurableFile.write(try settings.encoded(), to: settingsPath)
    }

    /// An image or mask from objects/, decoded.
    package func decodedObject(_ sha: String) throws -> RasterImage {
        try ImageCodec.decode(objects.read(sha))
    }

    /// The bytes of an object (an image as dropped, a PNG mask or probability map, model
    /// weights). `sha` may come from a request: anything but 64 lowercase hex digits is
    /// refused as missing before it becomes a path, so it cannot name a file outside objects/.
    package func objectBytes(_ sha: String) throws -> [UInt8] {
        guard sha.utf8.count == 64, sha.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw LookupError.noObject(sha)
        }
        return try objects.read(sha)
    }
}
