import Foundation
import LoupeLedger

enum DropKind: String {
    case image, correction
}

extension Workspace {
    static let replacedReason = "replaced at its path since it was read; it will be read again"

    /// Records a refusal, then moves the file into rejected/ with NAME.reason.txt beside it.
    /// The event comes first: after a crash the file is still in its drop folder, is refused
    /// again under the same event id (a no-op), and only then moved. A file replaced at its
    /// path since it was examined is not the refused one: it gets no event and stays.
    func reject(_ path: String, kind: DropKind, refusal: Refusal, custody: Custody = .dropped) throws -> IntakeOutcome {
        if let identity = refusal.identity, FileReading.identity(at: path) != identity {
            return .deferred(reason: Self.replacedReason)
        }
        let name = (path as NSString).lastPathComponent
        // Refusals without content (a folder, a link, a FIFO) are told apart by the entry itself.
        let key = refusal.sha.isEmpty ? refusal.identity.map { "entry-\($0.inode)-\($0.modifiedNanoseconds)" } ?? "" : refusal.sha
        let target = rejectedPath(for: name, key: key)
        return try moveToRejected(
            path, target: target, kind: kind, originalName: name, reason: refusal.reason, sha: refusal.sha,
            eventID: "rejected-\(kind.rawValue):\(key):\(name)", copy: custody == .borrowed, identity: refusal.identity
        )
    }

    /// Refuses a drop-folder entry whose name is not UTF-8: no String can name it, so it is
    /// moved by its bytes, under a safe name, and its event spells the name with \x escapes.
    package func refuseUndecodableName(_ rawName: [UInt8], inCorrections: Bool) throws -> IntakeOutcome {
        let folder = inCorrections ? corrections : inbox
        let shown = rawName.map { $0 < 0x80 && $0 >= 0x20 ? String(UnicodeScalar($0)) : String(format: "\\x%02x", $0) }.joined()
        let target = rejectedPath(for: shown, key: ObjectStore.sha256(rawName))
        let source = Array(folder.utf8) + [UInt8(ascii: "/")] + rawName
        return try moveToRejected(
            source, target: target, kind: inCorrections ? .correction : .image, originalName: shown,
            reason: "the file name is not valid UTF-8", sha: "", eventID: "rejected-name:\(ObjectStore.sha256(source))", copy: false,
            identity: nil
        )
    }

    private func moveToRejected(
        _ source: some PathBytes, target: String, kind: DropKind, originalName: String, reason: String, sha: String, eventID: String,
        copy: Bool, identity: FileIdentity?
    ) throws -> IntakeOutcome {
        let relative = "rejected/\((target as NSString).lastPathComponent)"
        let payload = FileRejected(originalName: originalName, rejectedPath: relative, reason: reason, sha256: sha)
        let event: LedgerEvent = kind == .image ? .imageRejected(payload) : .correctionRejected(payload)
        try ledger.append(PendingEvent(stream: "rejections", expected: .any, eventID: eventID, event: event))
        let note = "\(reason)\n\nfile: \(originalName)\nkind: \(kind.rawValue)\nsha256: \(sha)\n"
        try DurableFile.write(Array(note.utf8), to: "\(target).reason.txt")
        if copy, let path = source as? String {
            try DurableFile.write(try FileReading.read(path).bytes, to: target)
            return .rejected(reason: reason, movedTo: relative)
        }
        if let path = source as? String {
            // A file re-saved since it was refused is not the refused one: it is put back.
            guard try FileReading.move(path, to: target, ifStill: identity) else {
                unlink("\(target).reason.txt")
                return .deferred(reason: Self.replacedReason)
            }
        } else {
            guard source.withPath({ rename($0, target) }) == 0 else { throw DurableFile.posixError("move \(originalName) to \(relative)") }
        }
        try DurableFile.syncFolder(rejected)
        try DurableFile.syncFolder(source.folder)
        return .rejected(reason: reason, movedTo: relative)
    }

    /// rejected/NAME, shortened and made printable where needed, unless something else already
    /// has that name there: then `key` (the content's hash) goes in front, so no refused file
    /// ever replaces another.
    private func rejectedPath(for name: String, key: String) -> String {
        let safe = SafeName.make(name)
        let plain = "\(rejected)/\(safe)"
        guard FileReading.identity(at: plain) != nil else { return plain }
        if let existing = try? FileReading.read(plain), ObjectStore.sha256(existing.bytes) == key { return plain }
        return "\(rejected)/\(ObjectStore.sha256(Array(key.utf8)).prefix(12))-\(safe)"
    }
}

/// A path given as a String or as raw bytes (a name that is not UTF-8).
protocol PathBytes {
    func withPath<Result>(_ body: (UnsafePointer<CChar>) -> Result) -> Result
    var folder: String { get }
}

extension String: PathBytes {
    func withPath<Result>(_ body: (UnsafePointer<CChar>) -> Result) -> Result { withCString(body) }
    var folder: String { (self as NSString).deletingLastPathComponent }
}

extension Array: PathBytes where Element == UInt8 {
    func withPath<Result>(_ body: (UnsafePointer<CChar>) -> Result) -> Result {
        (self + [0]).withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
        }
    }

    var folder: String {
        let slash = lastIndex(of: UInt8(ascii: "/")) ?? 0
        return String(decoding: self[..<slash], as: UTF8.self)
    }
}

extension Workspace {
    /// Refuses a drop-folder entry that is not a regular file (a folder, link, FIFO, socket or
    /// device): it is moved into rejected/ as it is, never opened and never followed.
    package func refuseEntry(at path: String, inCorrections: Bool) throws -> IntakeOutcome {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .deferred(reason: "gone before it was refused") }
        let refusal = Refusal(
            sha: "", reason: "\(FileReading.kind(of: info.st_mode)), not a file; drop image files only", identity: FileIdentity(info))
        return try reject(path, kind: inCorrections ? .correction : .image, refusal: refusal)
    }
}

extension Workspace {
    /// Refuses a dropped file that the daemon died reading more than once: taking it again
    /// could kill the daemon on every start. It moves to rejected/ unread.
    package func quarantine(_ path: String, inCorrections: Bool, deaths: Int) throws -> IntakeOutcome {
        let refusal = Refusal(
            sha: "", reason: "quarantined: the daemon died \(deaths) times while reading this file; it is not read again",
            identity: FileReading.identity(at: path))
        return try reject(path, kind: inCorrections ? .correction : .image, refusal: refusal)
    }
}

extension Workspace {
    /// Why a file the HTTP door staged is refused, when no examination can read it (a Label
    /// Studio annotation whose brush RLE does not decode). Reads and hashes the file: call it off
    /// the loop, then `refuseReceived` on it.
    package static func receivedRefusal(at path: String, reason: String) throws -> Refusal {
        let (bytes, identity) = try FileReading.read(path)
        return Refusal(sha: ObjectStore.sha256(bytes), reason: reason, identity: identity)
    }

    /// Moves the staged file into rejected/ with its reason and an event.
    package func refuseReceived(at path: String, asCorrection: Bool, refusal: Refusal) throws -> IntakeOutcome {
        try reject(path, kind: asCorrection ? .correction : .image, refusal: refusal)
    }
}
