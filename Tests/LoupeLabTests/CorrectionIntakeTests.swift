import Foundation
import LoupeLedger
import LoupeVision
import Testing
@testable import LoupeLab

@Suite struct CorrectionIntakeTests {
    static func labWithImage(name: String = "im0001.png", settings: String? = nil) throws -> (TemporaryFolder, Workspace, String) {
        let (folder, lab) = try makeLab(settings: settings)
        let bytes = try ImageCodec.encodePNG(fundus())
        _ = try lab.ingestImage(at: try drop(bytes, as: name, into: lab.inbox))
        return (folder, lab, ObjectStore.sha256(bytes))
    }

    @Test(arguments: ["im0001.png", "im0001.ah.png", "im0001_mask.png", "im0001.ah.pgm"])
    func aMaskIsMatchedByItsNameStem(name: String) throws {
        let (_, lab, image) = try Self.labWithImage()
        var bytes = try ImageCodec.encodePNG(mask())
        if name.hasSuffix(".pgm") { bytes = Array("P5 24 16 255\n".utf8) + mask().pixels }
        let path = try drop(bytes, as: name, into: lab.corrections)
        let outcome = try lab.ingestCorrection(at: path)
        guard case .accepted = outcome else { Issue.record("\(name): \(outcome)"); return }
        let record = try #require(try lab.projections.image(sha: image))
        #expect(record.state == .corrected)
        #expect(record.annotator == (name.contains(".ah.") ? "ah" : nil))
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    /// SQL's LIKE ignores case; file names do not. Two images differing only in case are two
    /// names, and a mask named after one of them is that one's.
    @Test func namesDifferingOnlyInCaseAreDifferentImages() throws {
        let (_, lab, lower) = try Self.labWithImage(name: "im0001.png")
        let upperBytes = try ImageCodec.encodePNG(fundus(seed: 5))
        _ = try lab.ingestImage(at: try drop(upperBytes, as: "IM0001.png", into: lab.inbox))
        let outcome = try lab.ingestCorrection(at: try drop(try ImageCodec.encodePNG(mask()), as: "im0001.png", into: lab.corrections))
        guard case .accepted = outcome else { Issue.record("\(outcome)"); return }
        #expect(try lab.projections.image(sha: lower)?.state == .corrected)
        #expect(try lab.projections.image(sha: ObjectStore.sha256(upperBytes))?.state == .pending)
        #expect(try lab.projections.images(stem: "IM0001").map(\.name) == ["IM0001.png"])
    }

    @Test func aMaskIsMatchedBySHAPrefixOrExplicitImage() throws {
        let (_, lab, image) = try Self.labWithImage()
        let bytes = try ImageCodec.encodePNG(mask())
        let byPrefix = try lab.ingestCorrection(at: try drop(bytes, as: "\(image.prefix(10)).png", into: lab.corrections))
        #expect(!byPrefix.isRejected)
        let other = try ImageCodec.encodePNG(mask(seed: 1))
        let explicit = try lab.ingestCorrection(at: try drop(other, as: "whatever.png", into: lab.corrections), explicitImage: "im0001")
        #expect(!explicit.isRejected)
        #expect(try lab.ledger.events(type: .correctionAccepted).count == 2)
    }

    @Test func binarisedAt128CountingNonBinaryPixels() throws {
        let (_, lab, image) = try Self.labWithImage()
        var soft = mask(value: 200)
        soft.pixels[1] = 100
        _ = try lab.ingestCorrection(at: try drop(try ImageCodec.encodePNG(soft), as: "im0001.png", into: lab.corrections))
        let event = try #require(try lab.ledger.events(type: .correctionAccepted).first?.decoded())
        guard case .correctionAccepted(let accepted) = event else { Issue.record("\(event)"); return }
        let vessels = mask().pixels.filter { $0 == 255 }.count
        #expect(accepted.image == image)
        #expect(accepted.vesselPixels == vessels)
        #expect(accepted.nonBinaryPixels == vessels + 1)
        #expect(accepted.basedOnModel == nil && accepted.pixelsChanged == nil)
        let stored = try ImageCodec.decode(try lab.objects.read(accepted.mask))
        #expect(stored == mask())
        #expect(try lab.objects.read(accepted.source) == (try ImageCodec.encodePNG(soft)))
    }

    @Test func pixelsChangedAreCountedAgainstTheLatestPrediction() throws {
        let (_, lab, image) = try Self.labWithImage()
        let predicted = try lab.objects.put(try ImageCodec.encodePNG(mask(seed: 0)))
        try lab.ledger.append(PendingEvent(stream: "image-\(image)", eventID: "p", event: .predictionMade(PredictionMade(
            image: image, model: "m1", mask: predicted, uncertainty: 0.2, vesselFraction: 0.14, ms: 3))))
        var corrected = mask(seed: 0)
        corrected.pixels[0] = corrected.pixels[0] == 255 ? 0 : 255
        corrected.pixels[5] = corrected.pixels[5] == 255 ? 0 : 255
        _ = try lab.ingestCorrection(at: try drop(try ImageCodec.encodePNG(corrected), as: "im0001.png", into: lab.corrections))
        guard case .correctionAccepted(let accepted) = try lab.ledger.events(type: .correctionAccepted)[0].decoded() else {
            Issue.record("no correction")
            return
        }
        #expect(accepted.basedOnModel == "m1")
        #expect(accepted.basedOnMask == predicted)
        #expect(accepted.pixelsChanged == 2)
    }

    /// A pipeline reading predictions/ must not take a mask the expert has already replaced,
    /// whether or not a training follows.
    @Test func anAcceptedCorrectionRemovesThatImagesPredictionsAndNoOther() throws {
        let (_, lab, _) = try Self.labWithImage()
        _ = try lab.ingestImage(at: try drop(try ImageCodec.encodePNG(fundus(seed: 3)), as: "im0002.png", into: lab.inbox))
        for name in ["im0001.png", "im0001.prob.png", "im0002.png", "im0002.prob.png"] {
            try drop(try ImageCodec.encodePNG(mask()), as: name, into: lab.predictions)
        }
        let refused = try lab.ingestCorrection(at: try drop(Array("not a mask".utf8), as: "im0001.png", into: lab.corrections))
        #expect(refused.isRejected)
        #expect(try FileManager.default.contentsOfDirectory(atPath: lab.predictions).count == 4, "a refused mask replaces nothing")

        let accepted = try lab.ingestCorrection(at: try drop(try ImageCodec.encodePNG(mask()), as: "im0001.png", into: lab.corrections))
        guard case .accepted = accepted else { Issue.record("\(accepted)"); return }
        #expect(try FileManager.default.contentsOfDirectory(atPath: lab.predictions).sorted() == ["im0002.png", "im0002.prob.png"])
    }

    @Test func aMaskOfTheWrongSizeIsRejectedNamingBothSizes() throws {
        let (_, lab, _) = try Self.labWithImage()
        let bytes = try ImageCodec.encodePNG(mask(width: 20, height: 16))
        let outcome = try lab.ingestCorrection(at: try drop(bytes, as: "im0001.png", into: lab.corrections))
        #expect(outcome == .rejected(reason: "mask is 20x16 but image im0001.png is 24x16", movedTo: "rejected/im0001.png"))
        #expect(contents("\(lab.root)/rejected/im0001.png") == bytes)
        #expect(try lab.ledger.events().last?.type == "CorrectionRejected")
        #expect(try lab.projections.images(state: .corrected).isEmpty)
    }

    @Test func aNameMatchingNoImageIsRejected() throws {
        let (_, lab, _) = try Self.labWithImage()
        let outcome = try lab.ingestCorrection(at: try drop(try ImageCodec.encodePNG(mask()), as: "im9999.png", into: lab.corrections))
        guard case .rejected(let reason, _) = outcome else { Issue.record("accepted"); return }
        #expect(reason.hasPrefix("no ingested image matches 'im9999.png' (tried the name 'im9999'); name a mask NAME.png"))
    }

    @Test func aTruncatedMaskLosesNothing() throws {
        let (_, lab, _) = try Self.labWithImage(settings: noGrace)
        let full = try ImageCodec.encodePNG(mask())
        let cut = Array(full.prefix(full.count - 20))
        let outcome = try lab.ingestCorrection(at: try drop(cut, as: "im0001.png", into: lab.corrections))
        #expect(outcome.isRejected)
        #expect(contents("\(lab.root)/rejected/im0001.png") == cut)
    }
}
