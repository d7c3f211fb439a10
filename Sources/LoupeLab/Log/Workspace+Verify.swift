import Foundation
import LoupeLedger

extension Workspace {
    /// Walks the hash chain, holds its end against the head anchor in `loupe.head`, and
    /// re-hashes every object the log refers to. Throws `VerifyFailure` naming the first row,
    /// object or anchor that does not hold; what is only suspicious comes back as warnings.
    package func verify() throws -> VerifyReport {
        let report: Verifier.Report
        do {
            report = try Verifier.verify(ledger, objects: objects)
        } catch let failure as Verifier.Failure {
            let anchor = try? HeadAnchor.read(from: ledger.anchorPath)
            throw VerifyFailure(description: failure.description, anchor: anchor)
        }
        var warnings = report.unreferencedObjects.map { "object \($0) is named by no event (left by an interrupted intake or job)" }
        if report.anchor == nil, report.events > 0 {
            warnings.append("no head anchor yet (\((ledger.anchorPath as NSString).lastPathComponent)): a log cut short could not be told from a whole one until the next append writes it")
        }
        warnings += leftoverTemporaryFiles().map { "leftover temporary file \($0) (a write interrupted by a crash); safe to delete" }
        return VerifyReport(events: report.events, head: report.head, objects: report.objects, anchor: report.anchor, warnings: warnings)
    }

    /// Temporary files of interrupted durable writes, relative to the lab. The drop folders
    /// are not searched: a `.tmp` there is a user's file still being copied in.
    func leftoverTemporaryFiles() -> [String] {
        let objectFolders = ((try? FileManager.default.contentsOfDirectory(atPath: objects.root)) ?? []).sorted().map { "objects/\($0)" }
        return ([""] + objectFolders + ["predictions", "rejected"]).flatMap { folder in
            DurableFile.leftovers(in: folder.isEmpty ? root : "\(root)/\(folder)").map { folder.isEmpty ? $0 : "\(folder)/\($0)" }
        }
    }
}

package struct VerifyReport: Sendable, Equatable {
    package var events: Int
    package var head: String
    package var objects: Int
    /// Nil before the first append writes one (or in a lab from before anchors).
    package var anchor: HeadAnchor?
    /// Not failures: unreferenced objects, leftover temporary files, a missing anchor.
    package var warnings: [String]
}

/// The log, its anchor or an object it names does not hold what was written.
package struct VerifyFailure: Error, CustomStringConvertible {
    package var description: String
    /// What `loupe.head` says, shown beside the failure; nil when it is missing or unreadable.
    package var anchor: HeadAnchor?
}
