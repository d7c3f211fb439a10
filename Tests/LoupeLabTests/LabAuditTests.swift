import Foundation
@testable import LoupeLedger
import LoupeVision
import Testing
@testable import LoupeLab

/// A lab's log lost or cut short outside Loupe, and what `verify` reports beside failures.
@Suite struct LabAuditTests {
    /// A lab with `images` ingested images, closed again; returns its root.
    static func closedLab(_ folder: TemporaryFolder, images: Int) throws -> String {
        let root = "\(folder.path)/lab"
        try Workspace.initialize(at: root)
        let lab = try Workspace(at: root)
        for index in 0..<images {
            _ = try lab.ingestImage(at: try drop(try ImageCodec.encodePNG(fundus(seed: index)), as: "im\(index).png", into: lab.inbox))
        }
        return root
    }

    static func removeDatabase(_ root: String) throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: "\(root)/loupe.sqlite\(suffix)") }
    }

    @Test func aLabWhoseDatabaseIsGoneRefusesToStartAnEmptyLogBesideItsObjects() throws {
        let folder = TemporaryFolder()
        let root = try Self.closedLab(folder, images: 2)
        try Self.removeDatabase(root)
        for readOnly in [false, true] {
            #expect(throws: WorkspaceError.ledgerMissing(root, objects: 2)) { try Workspace(at: root, readOnly: readOnly) }
        }
        #expect(throws: WorkspaceError.ledgerMissing(root, objects: 2)) { try Workspace.initialize(at: root) }
        #expect(!FileManager.default.fileExists(atPath: "\(root)/loupe.sqlite"), "no empty log was started")
        #expect("\(WorkspaceError.ledgerMissing(root, objects: 2))".contains("holds 2 objects but no loupe.sqlite"))

        try FileManager.default.removeItem(atPath: "\(root)/objects")
        let anchor = try #require(try HeadAnchor.read(from: "\(root)/loupe.head"))
        #expect(anchor.seq == 2)
        #expect(throws: WorkspaceError.ledgerMissingBesideAnchor(root, anchor)) { try Workspace(at: root) }

        try FileManager.default.removeItem(atPath: "\(root)/loupe.head")
        #expect(try Workspace(at: root).headSeq() == 0, "with nothing left of the old log, a new one may start")
    }

    /// Commits still in the -wal file are lost with it: the log ends before its anchor.
    @Test func aLostWalFileIsCaughtByTheAnchor() throws {
        let folder = TemporaryFolder()
        let root = "\(folder.path)/lab"
        try Workspace.initialize(at: root)
        var checkpointed: Data?
        do {
            let lab = try Workspace(at: root)
            _ = try lab.ingestImage(at: try drop(try ImageCodec.encodePNG(fundus(seed: 1)), as: "a.png", into: lab.inbox))
            try lab.ledger.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            _ = try lab.ingestImage(at: try drop(try ImageCodec.encodePNG(fundus(seed: 2)), as: "b.png", into: lab.inbox))
            checkpointed = FileManager.default.contents(atPath: "\(root)/loupe.sqlite")
        }
        try Self.removeDatabase(root)
        try #require(checkpointed).write(to: URL(fileURLWithPath: "\(root)/loupe.sqlite"))

        let anchor = try #require(try HeadAnchor.read(from: "\(root)/loupe.head"))
        #expect(anchor.seq == 2)
        #expect(throws: LedgerError.logCutShort(anchor: anchor, logEnds: 1)) { try Workspace(at: root) }
        let failure = #expect(throws: VerifyFailure.self) { try Workspace(at: root, readOnly: true).verify() }
        #expect(failure?.description == "\(LedgerError.logCutShort(anchor: anchor, logEnds: 1))")
        #expect(failure?.anchor == anchor)
    }

    @Test func verifyShowsTheAnchorAndWarnsOfStrayObjectsAndLeftoverTemporaryFiles() throws {
        let (_, lab) = try makeLab()
        _ = try lab.ingestImage(at: try drop(try ImageCodec.encodePNG(fundus()), as: "im0.png", into: lab.inbox))
        let stray = try lab.objects.put(Array("weights of a training killed before its event".utf8))
        try Data().write(to: URL(fileURLWithPath: "\(lab.predictions)/.im0.png.99999999.tmp"))
        try Data().write(to: URL(fileURLWithPath: "\(lab.root)/objects/\(stray.prefix(2))/.\(stray).99999999.tmp"))
        try Data().write(to: URL(fileURLWithPath: "\(lab.inbox)/.copying.png.99999999.tmp"))

        let report = try lab.verify()
        #expect(report.events == 1)
        #expect(report.anchor == HeadAnchor(seq: 1, hash: try lab.ledger.head().hash))
        #expect(report.warnings == [
            "object \(stray) is named by no event (left by an interrupted intake or job)",
            "leftover temporary file objects/\(stray.prefix(2))/.\(stray).99999999.tmp (a write interrupted by a crash); safe to delete",
            "leftover temporary file predictions/.im0.png.99999999.tmp (a write interrupted by a crash); safe to delete",
        ])
    }

    @Test func aLogFromBeforeAnchorsVerifiesWithAWarning() throws {
        let (_, lab) = try makeLab()
        _ = try lab.ingestImage(at: try drop(try ImageCodec.encodePNG(fundus()), as: "im0.png", into: lab.inbox))
        try FileManager.default.removeItem(atPath: "\(lab.root)/loupe.head")
        let report = try lab.verify()
        #expect(report.anchor == nil)
        #expect(report.warnings == [
            "no head anchor yet (loupe.head): a log cut short could not be told from a whole one until the next append writes it",
        ])
    }
}
