import Foundation
import LoupeLedger
import LoupeVision
import Testing
@testable import LoupeLab

@Suite struct ImageIntakeTests {
    @Test func anImageIsStoredLoggedAndMovedOutOfTheInbox() throws {
        let (_, lab) = try makeLab()
        let bytes = try ImageCodec.encodePNG(fundus())
        let path = try drop(bytes, as: "im0001.png", into: lab.inbox)
        let outcome = try lab.ingestImage(at: path)
        let sha = ObjectStore.sha256(bytes)
        #expect(outcome == .accepted(sha: sha, seq: 1))
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try lab.objects.read(sha) == bytes)
        let image = try #require(try lab.projections.image(sha: sha))
        #expect(image.name == "im0001.png")
        #expect(image.width == 24 && image.height == 16 && image.channels == 3)
        #expect(image.state == .pending)
    }

    @Test func theSameContentUnderTheSameNameTwiceAppendsNothing() throws {
        let (_, lab) = try makeLab()
        let bytes = try ImageCodec.encodePNG(fundus())
        let first = try lab.ingestImage(at: try drop(bytes, as: "a.png", into: lab.inbox))
        let second = try lab.ingestImage(at: try drop(bytes, as: "a.png", into: lab.inbox))
        #expect(second == .alreadyKnown(sha: ObjectStore.sha256(bytes), seq: 1))
        #expect(first != second)
        #expect(try lab.ledger.head().seq == 1)
    }

    /// Issue 9, item 3: the second name used to be deleted with no event naming it, and a
    /// correction named after it was refused.
    @Test func theSameContentUnderAnotherNameRecordsTheNameAndCorrectionsMatchIt() throws {
        let (_, lab) = try makeLab()
        let bytes = try ImageCodec.encodePNG(fundus())
        let sha = ObjectStore.sha256(bytes)
        _ = try lab.ingestImage(at: try drop(bytes, as: "a.png", into: lab.inbox))
        let copy = try drop(bytes, as: "copy-of-a.png", into: lab.inbox)
        #expect(try lab.ingestImage(at: copy) == .anotherName(sha: sha, seq: 2))
        #expect(!FileManager.default.fileExists(atPath: copy), "its bytes are in objects/ already")
        #expect(try lab.ingestImage(at: try drop(bytes, as: "copy-of-a.png", into: lab.inbox)) == .alreadyKnown(sha: sha, seq: 1))
        #expect(try lab.projections.names(of: sha) == ["a.png", "copy-of-a.png"])
        let outcome = try lab.ingestCorrection(at: try drop(try ImageCodec.encodePNG(mask()), as: "copy-of-a.ah.png", into: lab.corrections))
        guard case .accepted = outcome else { Issue.record("\(outcome)"); return }
        #expect(try lab.projections.image(sha: sha)?.state == .corrected)
        #expect(try lab.replayDifferences() == [])
    }

    static let refusals: [(name: String, bytes: [UInt8], reason: String)] = {
        let png = try! ImageCodec.encodePNG(fundus(width: 64, height: 48))
        return [
            ("empty.png", [], "empty file (0 bytes)"),
            ("truncated.png", Array(png.prefix(png.count / 2)), "truncated: incomplete PNG"),
            ("notes.png", Array("these are notes".utf8), "unknown format"),
            ("huge.ppm", Array("P6 60000 60000 255\n".utf8), "image is 60000x60000, over the limit of 16384x16384"),
        ]
    }()

    @Test(arguments: 0..<4)
    func aRefusedFileGoesToRejectedWithItsReasonAndLosesNoByte(index: Int) throws {
        let (_, lab) = try makeLab(settings: noGrace)
        let (name, bytes, reason) = Self.refusals[index]
        let path = try drop(bytes, as: name, into: lab.inbox)
        let outcome = try lab.ingestImage(at: path)
        guard case .rejected(let said, let movedTo) = outcome else {
            Issue.record("accepted \(name)")
            return
        }
        #expect(said.contains(reason), "\(said)")
        #expect(movedTo == "rejected/\(name)")
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(contents("\(lab.root)/rejected/\(name)") == bytes, "the refused file is kept byte for byte")
        let note = String(decoding: contents("\(lab.root)/rejected/\(name).reason.txt") ?? [], as: UTF8.self)
        #expect(note.hasPrefix(said))
        let rejected = try lab.projections.rejected()
        #expect(rejected.map(\.originalName) == [name])
        #expect(rejected.first?.reason == said)
        #expect(try lab.ledger.events().map(\.type) == ["ImageRejected"])
    }

    @Test func aRefusalInterruptedBeforeTheMoveIsFinishedOnceOnRetry() throws {
        let (_, lab) = try makeLab()
        let path = try drop([1, 2, 3], as: "junk.png", into: lab.inbox)
        _ = try lab.ingestImage(at: path)
        // As if the process died after the event but before the move: the file is back.
        try FileManager.default.moveItem(atPath: "\(lab.root)/rejected/junk.png", toPath: path)
        #expect(try lab.ingestImage(at: path).isRejected)
        #expect(try lab.ledger.head().seq == 1, "the retry appends no second event")
        #expect(contents("\(lab.root)/rejected/junk.png") == [1, 2, 3])
    }

    @Test func aDifferentFileRefusedUnderATakenNameDoesNotReplaceTheFirst() throws {
        let (_, lab) = try makeLab()
        _ = try lab.ingestImage(at: try drop([1], as: "x.png", into: lab.inbox))
        let second = try lab.ingestImage(at: try drop([2], as: "x.png", into: lab.inbox))
        guard case .rejected(_, let movedTo) = second else { Issue.record("accepted"); return }
        #expect(movedTo != "rejected/x.png")
        #expect(contents("\(lab.root)/rejected/x.png") == [1])
        #expect(contents("\(lab.root)/\(movedTo)") == [2])
    }

    @Test func sizeLimitComesFromSettings() throws {
        let (folder, _) = try makeLab()
        try Data(#"{"maxImageDimension": 20}"#.utf8).write(to: URL(fileURLWithPath: "\(folder.path)/lab/loupe.json"))
        let lab = try Workspace(at: "\(folder.path)/lab")
        let outcome = try lab.ingestImage(at: try drop(try ImageCodec.encodePNG(fundus()), as: "wide.png", into: lab.inbox))
        #expect(outcome.isRejected)
        #expect("\(outcome)".contains("24x16, over the limit of 20x20"))
    }
}
