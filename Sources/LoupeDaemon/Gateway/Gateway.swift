import Foundation
import LoupeLab
import Synchronization

/// The one way in for every door but the folders, which the loop takes itself with the same
/// operations: the HTTP upload, the page's correction, Label Studio's task images and
/// annotations, and the operator's controls. It stages a door's bytes beside the drop folders,
/// examines them off the loop as a dropped file is examined, records them through the
/// mailbox on the loop (the lab's one writer), and answers with what happened, or throws one
/// `GatewayError` that says why not. One size limit (`Settings.uploadLimit`) and one
/// quiet-period rule (`ExaminedCorrection.restartsQuietPeriod`) hold for every door.
///
/// It lives beside the mailbox rather than in LoupeLab: LoupeLab's operations are plain
/// synchronous functions that know nothing of the loop, and carrying a door's file to the
/// loop's one writer and awaiting it is the daemon's business.
///
/// Thread-safe: any task may call it.
package final class Gateway: Sendable {
    package let lab: String
    package let readers: ReaderPool
    let mailbox: Mailbox
    let staging: UploadStaging
    let tickets = Atomic<UInt64>(0)

    package init(lab: String, mailbox: Mailbox) throws {
        self.lab = lab
        readers = try ReaderPool(lab: lab)
        self.mailbox = mailbox
        staging = UploadStaging(lab: lab)
    }

    /// Staged files a crash left behind, handed to the drop folders; returns where each went.
    package func recoverLeftovers() -> [String] {
        staging.recoverLeftovers(lab: lab)
    }

    /// A caller's file name as the lab will record it; throws `badName` for one it cannot.
    package static func fileName(_ name: String) throws -> String {
        try UploadStaging.checked(name)
    }

    /// Runs an operator's or a client's operation on the loop with the lab's writer.
    package func record<Result: Sendable>(_ operation: @escaping @Sendable (Workspace) throws -> Result) async throws -> Result {
        try await mailbox.perform { try operation($0.workspace) }
    }

    /// A staging folder of `kind`, handed to `receive`, which writes the file into it and
    /// returns its path; nothing is left behind if it throws.
    func staged(_ kind: UploadStaging.Kind, _ receive: (String) async throws -> String) async throws -> StagedFile {
        let folder = try staging.newFolder(kind: kind)
        do {
            return StagedFile(path: try await receive(folder), folder: folder)
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
    }

    /// Runs a door's examination on the loop's thread pool, as a dropped file's is: decoding
    /// never holds one of the HTTP server's threads.
    func examine<Result: Sendable>(_ examination: @escaping @Sendable () -> Result) async throws -> Result {
        try await mailbox.request { context, reply in context.onPool(examination) { reply(.success($0)) } }
    }

    /// What a recorded outcome means for the caller: taken, or thrown as refused or deferred
    /// (a deferred file is handed to its drop folder for the daemon to take later).
    func answer(_ outcome: IntakeOutcome, staged: StagedFile, kind: UploadStaging.Kind, what: String) throws -> Taken {
        switch outcome {
        case .accepted(let sha, let seq): return Taken(sha: sha, seq: seq, how: .accepted)
        case .anotherName(let sha, let seq): return Taken(sha: sha, seq: seq, how: .anotherName)
        case .alreadyKnown(let sha, let seq): return Taken(sha: sha, seq: seq, how: .alreadyKnown)
        case .rejected(let reason, let movedTo): throw GatewayError.rejected(what: what, reason: reason, rejectedPath: movedTo)
        case .deferred(let reason): throw deferred(staged, kind: kind, what: what, reason: reason)
        }
    }

    func deferred(_ staged: StagedFile, kind: UploadStaging.Kind, what: String, reason: String) -> GatewayError {
        .deferred(what: what, reason: reason, movedTo: staging.handOver(staged, kind: kind, lab: lab))
    }
}
