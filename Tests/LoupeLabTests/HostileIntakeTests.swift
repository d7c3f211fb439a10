import Foundation
import LoupeLedger
import LoupeVision
import Testing
@testable import LoupeLab

/// Issue 9's files that were lost or left without a word: each ends taken, refused into
/// rejected/ with an event, or left in place to be read again, never deleted unrecorded.
@Suite struct HostileIntakeTests {
    /// Re-saving replaces the file at its path (write elsewhere, rename over).
    static func replace(_ path: String, with bytes: [UInt8]) throws {
        let temporary = "\(path).saving"
        try Data(bytes).write(to: URL(fileURLWithPath: temporary))
        #expect(rename(temporary, path) == 0)
    }

    @Test func anImageReplacedAfterItWasReadIsLeftForTheNextReadNotDeleted() throws {
        let (_, lab) = try makeLab()
        let first = try ImageCodec.encodePNG(fundus(seed: 1))
        let second = try ImageCodec.encodePNG(fundus(seed: 2))
        let path = try drop(first, as: "im1.png", into: lab.inbox)
        let examined = lab.imageExamination(of: path)()
        try Self.replace(path, with: second)
        #expect(try lab.recordImage(examined, from: path) == .deferred(reason: Workspace.replacedReason))
        #expect(try lab.ledger.head().seq == 0, "no event for bytes that are no longer the file")
        #expect(contents(path) == second, "the new save stays in the inbox")
        #expect(try lab.recordImage(lab.imageExamination(of: path)(), from: path) == .accepted(sha: ObjectStore.sha256(second), seq: 1))
    }

    @Test func aMaskReplacedAfterItWasReadIsLeftForTheNextRead() throws {
        let (_, lab) = try makeLab()
        _ = try lab.ingestImage(at: try drop(try ImageCodec.encodePNG(fundus()), as: "im1.png", into: lab.inbox))
        let path = try drop(try ImageCodec.encodePNG(mask(seed: 1)), as: "im1.png", into: lab.corrections)
        guard case .success(let match) = try lab.matchCorrection(at: path) else { Issue.record("no match"); return }
        let examined = lab.correctionExamination(of: path, match: match)()
        let resaved = try ImageCodec.encodePNG(mask(seed: 2))
        try Self.replace(path, with: resaved)
        #expect(try lab.recordCorrection(examined, from: path) == .deferred(reason: Workspace.replacedReason))
        #expect(contents(path) == resaved)
        guard case .accepted = try lab.ingestCorrection(at: path) else { Issue.record("the re-saved mask must be taken"); return }
        #expect(try lab.ledger.events(type: .correctionAccepted).count == 1)
    }

    @Test func aRefusedFileReplacedBeforeItsRefusalIsNotRefused() throws {
        let (_, lab) = try makeLab()
        let path = try drop(Array("not an image".utf8), as: "im1.png", into: lab.inbox)
        let examined = lab.imageExamination(of: path)()
        try Self.replace(path, with: try ImageCodec.encodePNG(fundus()))
        #expect(try lab.recordImage(examined, from: path) == .deferred(reason: Workspace.replacedReason))
        #expect(try lab.ledger.events(type: .imageRejected).isEmpty)
    }

    @Test func foldersLinksAndFIFOsInTheInboxAreMovedToRejectedUnopened() throws {
        let (_, lab) = try makeLab()
        try FileManager.default.createDirectory(atPath: "\(lab.inbox)/scans", withIntermediateDirectories: true)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: "\(lab.inbox)/scans/inner.png"))
        try FileManager.default.createSymbolicLink(atPath: "\(lab.inbox)/link.png", withDestinationPath: "/etc/passwd")
        #expect(mkfifo("\(lab.inbox)/pipe.png", 0o644) == 0)
        let expected = [("scans", "a folder"), ("link.png", "a symbolic link"), ("pipe.png", "a FIFO")]
        for (name, kind) in expected {
            let outcome = try lab.refuseEntry(at: "\(lab.inbox)/\(name)", inCorrections: false)
            #expect(outcome == .rejected(reason: "\(kind), not a file; drop image files only", movedTo: "rejected/\(name)"))
        }
        #expect(FileManager.default.fileExists(atPath: "\(lab.rejected)/scans/inner.png"), "a folder moves whole")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "\(lab.rejected)/link.png") == "/etc/passwd")
        #expect(try lab.projections.rejected().map(\.originalName) == ["scans", "link.png", "pipe.png"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: lab.inbox).isEmpty)
    }

    @Test func aNameThatIsNotUTF8IsRefusedUnderASafeNameWithItsBytesSpelledOut() throws {
        let (_, lab) = try makeLab()
        let raw = Array("im".utf8) + [0xFF] + Array(".png".utf8)
        let path = Array(lab.inbox.utf8) + [UInt8(ascii: "/")] + raw + [0]
        let fd = path.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) } }
        #expect(fd >= 0)
        close(fd)
        guard case .rejected(let reason, let movedTo) = try lab.refuseUndecodableName(raw, inCorrections: false) else {
            Issue.record("not refused")
            return
        }
        #expect(reason == "the file name is not valid UTF-8")
        #expect(movedTo == "rejected/im\\xff.png")
        #expect(FileManager.default.fileExists(atPath: "\(lab.rejected)/im\\xff.png.reason.txt"))
        #expect(try lab.projections.rejected().first?.originalName == "im\\xff.png")
    }

    @Test func aNameOfTwoHundredFiftyOneBytesIsIngestedPredictedAndRefusedUnderAShortenedName() throws {
        let (_, lab) = try makeLab()
        let long = String(repeating: "a", count: 247) + ".png"
        #expect(long.utf8.count == 251)
        let outcome = try lab.ingestImage(at: try drop(try ImageCodec.encodePNG(fundus()), as: long, into: lab.inbox))
        guard case .accepted(let sha, _) = outcome else { Issue.record("\(outcome)"); return }
        let image = try #require(try lab.projections.image(sha: sha))
        #expect(try lab.predictionPath(for: image).split(separator: "/").last!.utf8.count + ".prob".utf8.count <= 255)
        let refused = try lab.ingestImage(at: try drop(Array("junk".utf8), as: String(repeating: "b", count: 247) + ".png", into: lab.inbox))
        guard case .rejected(_, let movedTo) = refused else { Issue.record("\(refused)"); return }
        #expect(movedTo.utf8.count < 150)
        #expect(FileManager.default.fileExists(atPath: "\(lab.root)/\(movedTo).reason.txt"))
    }

    @Test func ingestRefusesWithNoEventWhatIsNotAFileOrIsTheLabsOwnState() throws {
        let (folder, lab) = try makeLab()
        try FileManager.default.createDirectory(atPath: "\(folder.path)/outside", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: "\(folder.path)/link.png", withDestinationPath: "\(lab.root)/loupe.json")
        let cases: [(String, GivenPathError)] = [
            ("\(folder.path)/missing.png", .missing("\(folder.path)/missing.png")),
            ("\(folder.path)/outside", .notAFile("\(folder.path)/outside", kind: "a folder")),
            ("\(folder.path)/link.png", .notAFile("\(folder.path)/link.png", kind: "a symbolic link")),
            ("\(lab.root)/loupe.sqlite", .insideLab("\(lab.root)/loupe.sqlite")),
            ("\(lab.root)/loupe.json", .insideLab("\(lab.root)/loupe.json")),
        ]
        for (path, error) in cases {
            #expect(throws: error) { try lab.ingestImage(at: path) }
        }
        let objects = try FileManager.default.contentsOfDirectory(atPath: "\(lab.root)/objects")
        #expect(throws: GivenPathError.self) { try lab.ingestImage(at: "\(lab.root)/objects/\(objects.first ?? "x")") }
        #expect(try lab.ledger.head().seq == 0)
        #expect(FileManager.default.fileExists(atPath: "\(lab.root)/loupe.json"))
    }

    @Test func aFileFromOutsideTheLabIsCopiedNeverMoved() throws {
        let (folder, lab) = try makeLab()
        let good = try drop(try ImageCodec.encodePNG(fundus()), as: "im1.png", into: folder.path)
        let bad = try drop(Array("junk".utf8), as: "im2.png", into: folder.path)
        guard case .accepted = try lab.ingestImage(at: good) else { Issue.record("not accepted"); return }
        guard case .rejected(_, let movedTo) = try lab.ingestImage(at: bad) else { Issue.record("not refused"); return }
        #expect(FileManager.default.fileExists(atPath: good), "the original stays")
        #expect(contents(bad) == Array("junk".utf8), "the original stays")
        #expect(contents("\(lab.root)/\(movedTo)") == Array("junk".utf8), "a copy goes to rejected/")
        #expect(try lab.ingestImage(at: good) == .alreadyKnown(sha: ObjectStore.sha256(contents(good)!), seq: 1), "the same path twice")
    }
}

@Suite struct InterruptedTakeTests {
    @Test func aTakeCutShortByAKillIsFinishedAtTheNextStart() throws {
        let (_, lab) = try makeLab()
        let bytes = try ImageCodec.encodePNG(fundus(seed: 3))
        _ = try lab.ingestImage(at: try drop(bytes, as: "im3.png", into: lab.inbox))
        // As if killed between the move out of the way and the delete.
        try drop(bytes, as: ".loupe-taking-99-1", into: lab.inbox)
        let stranger = Array("bytes objects/ never saw".utf8)
        try drop(stranger, as: ".loupe-taking-99-2", into: lab.inbox)
        #expect(try lab.finishInterruptedTakes() == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: lab.inbox) == ["recovered-99-2"])
        #expect(contents("\(lab.inbox)/recovered-99-2") == stranger)
    }
}

@Suite struct IncompleteFileTests {
    @Test func aYoungIncompleteImageIsLeftInPlaceWithNoEvent() throws {
        let (_, lab) = try makeLab()
        let png = try ImageCodec.encodePNG(fundus(width: 64, height: 48))
        let path = try drop(Array(png.prefix(png.count / 2)), as: "growing.png", into: lab.inbox)
        guard case .deferred(let reason) = try lab.ingestImage(at: path) else { Issue.record("not left in place"); return }
        #expect(reason.hasPrefix("incomplete PNG"), "\(reason)")
        #expect(reason.contains("waiting while it is younger than 60 s"))
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try lab.ledger.head().seq == 0)
    }
}
