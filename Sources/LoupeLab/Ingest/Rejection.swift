import Foundation
import LoupeLedger

enum DropKind: String {
    case image, correction
}

extension Workspace {
    /// Records a refusal, then moves the file into rejected/ with NAME.reason.txt beside it.
    /// The event comes first: after a crash the file is still in its drop folder, is refused
    /// again under the same event id (a no-op), and only then moved.
    func reject(_ path: String, kind: DropKind, refusal: Refusal) throws -> IntakeOutcome {
        let name = (path as NSString).lastPathComponent
        let target = rejectedPath(for: name, sha: refusal.sha)
        let relative = "rejected/\((target as NSString).lastPathComponent)"
        let payload = FileRejected(originalName: name, rejectedPath: relative, reason: refusal.reason, sha256: refusal.sha)
        let event: LedgerEvent = kind == .image ? .imageRejected(payload) : .correctionRejected(payload)
        try ledger.append(PendingEvent(
            stream: "rejections", expected: .any, eventID: "rejected-\(kind.rawValue):\(refusal.sha):\(name)", event: event
        ))
        let note = "\(refusal.reason)\n\nfile: \(name)\nkind: \(kind.rawValue)\nsha256: \(refusal.sha)\n"
        try DurableFile.write(Array(note.utf8), to: "\(target).reason.txt")
        guard rename(path, target) == 0 else { throw DurableFile.posixError("move \(path) to \(target)") }
        try DurableFile.syncFolder(rejected)
        try DurableFile.syncFolder((path as NSString).deletingLastPathComponent)
        return .rejected(reason: refusal.reason, movedTo: relative)
    }

    /// rejected/NAME, unless a different file already has that name there: then the content's
    /// hash goes in front, so no refused file ever replaces another.
    private func rejectedPath(for name: String, sha: String) -> String {
        let plain = "\(rejected)/\(name)"
        guard let existing = try? FileReading.bytes(plain), ObjectStore.sha256(existing) != sha else { return plain }
        return "\(rejected)/\(sha.prefix(12))-\(name)"
    }
}
