import Foundation
import LoupeLedger
import LoupeVision
import Testing
@testable import LoupeLab

/// Several annotators per image: every correction is kept, each measured against the latest
/// earlier one by somebody else, and `corrections.train` picks the one a training learns.
@Suite struct CorrectionAgreementTests {
    /// Columns x with (x + seed) % 7 == 0 on a 24x16 mask: 4 columns, 64 pixels.
    static let base = mask(seed: 0)

    /// `base` plus column 1: 80 pixels, 64 of them shared with `base`.
    static var wider: RasterImage {
        var raster = base
        for y in 0..<16 { raster.pixels[y * 24 + 1] = 255 }
        return raster
    }

    static func correct(_ lab: Workspace, _ raster: RasterImage, as name: String) throws -> IntakeOutcome {
        try lab.ingestCorrection(at: try drop(try ImageCodec.encodePNG(raster), as: name, into: lab.corrections))
    }

    @Test func everyCorrectionIsKeptAndMeasuredAgainstAnotherAnnotators() throws {
        let (_, lab, image) = try CorrectionIntakeTests.labWithImage()
        guard case .accepted = try Self.correct(lab, Self.base, as: "im0001.ah.png") else { Issue.record("first"); return }
        guard case .accepted = try Self.correct(lab, Self.wider, as: "im0001.bb.png") else { Issue.record("second"); return }
        guard case .accepted = try Self.correct(lab, Self.base, as: "im0001.bb.png") else { Issue.record("third"); return }

        let records = try lab.corrections(ofImage: image)
        #expect(records.map(\.annotator) == ["ah", "bb", "bb"])
        #expect(records[0].disagreement == nil, "nobody corrected it before")
        let baseMask = records[0].mask
        #expect(records[1].disagreement == Disagreement(annotator: "ah", mask: baseMask, dice: 128.0 / 144.0))
        #expect(records[2].disagreement == Disagreement(annotator: "ah", mask: baseMask, dice: 1), "bb's own mask is not compared")
        #expect(records[2].mask == baseMask, "the same mask from another annotator is a correction of its own")
        #expect(records.map(\.seq) == (try lab.events(type: .correctionAccepted).map(\.seq)))
        #expect(try lab.correctionCounts() == [image: 3])

        let record = try #require(try lab.images().first)
        #expect(record.correctionMask == records[2].mask && record.annotator == "bb", "the image shows its latest correction")
        #expect(try lab.events(type: .correctionAccepted)[1].summary.hasSuffix(", Dice 0.889 with ah's mask"))
        #expect(try lab.replayDifferences() == [])
    }

    @Test func anUnreadableEarlierMaskLeavesOutTheAgreementNotTheCorrection() throws {
        let (_, lab, image) = try CorrectionIntakeTests.labWithImage()
        _ = try Self.correct(lab, Self.base, as: "im0001.ah.png")
        let earlier = try #require(try lab.corrections(ofImage: image).first?.mask)
        try FileManager.default.removeItem(atPath: lab.objects.path(of: earlier))
        guard case .accepted = try Self.correct(lab, Self.wider, as: "im0001.bb.png") else { Issue.record("refused"); return }
        #expect(try lab.corrections(ofImage: image).map(\.disagreement) == [nil, nil])
    }

    @Test func twoEmptyMasksAgreeFully() throws {
        let (_, lab, image) = try CorrectionIntakeTests.labWithImage()
        let empty = mask(value: 0)
        _ = try Self.correct(lab, empty, as: "im0001.ah.png")
        _ = try Self.correct(lab, empty, as: "im0001.bb.png")
        #expect(try lab.corrections(ofImage: image).map { $0.disagreement?.dice } == [nil, 1])
    }

    @Test func disjointMasksDisagreeFully() throws {
        let (_, lab, image) = try CorrectionIntakeTests.labWithImage()
        _ = try Self.correct(lab, mask(seed: 0), as: "im0001.png")
        _ = try Self.correct(lab, mask(seed: 1), as: "im0001.bb.png")
        let records = try lab.corrections(ofImage: image)
        #expect(records.map { $0.disagreement?.dice } == [nil, 0])
        #expect(records[1].disagreement?.annotator == nil, "the unnamed first correction")
    }

    @Test(arguments: [("latest", 1), ("first", 0)])
    func correctionsTrainPicksTheMaskATrainingLearns(_ choice: String, _ expected: Int) throws {
        let (_, lab, image) = try CorrectionIntakeTests.labWithImage(settings: #"{"corrections": {"train": "\#(choice)"}}"#)
        _ = try Self.correct(lab, Self.base, as: "im0001.ah.png")
        _ = try Self.correct(lab, Self.wider, as: "im0001.bb.png")
        let masks = try lab.corrections(ofImage: image).map(\.mask)
        let plan = try lab.planTraining()
        #expect(plan.training == [LabelledImage(image: image, mask: masks[expected])])
    }

    @Test(arguments: [
        (#"{"corrections": {"train": "middle"}}"#, "corrections.train 'middle' is not one of latest, first"),
        (#"{"corrections": {"trian": "first"}}"#, "trian"),
        (#"{"corrections": {"train": 1}}"#, "corrections.train"),
    ])
    func aBadCorrectionsSettingIsRefused(_ json: String, _ message: String) throws {
        let folder = TemporaryFolder()
        let path = "\(folder.path)/loupe.json"
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: SettingsError.self) { try Settings.load(from: path) }
        #expect(error?.description.contains(message) == true, "\(error?.description ?? "no error")")
        #expect(Settings().corrections.train == .latest)
    }

    /// The HTTP door: the annotator comes from the token and the base model from the request.
    @Test func anExaminationForAGivenImageAnnotatorAndModel() throws {
        let (folder, lab, image) = try CorrectionIntakeTests.labWithImage()
        let m1 = try lab.objects.put(try ImageCodec.encodePNG(Self.base))
        let m2 = try lab.objects.put(try ImageCodec.encodePNG(mask(value: 0)))
        for (model, predicted) in [("m1", m1), ("m2", m2)] {
            try lab.recordPrediction(PredictionMade(image: image, model: model, mask: predicted, uncertainty: 0.1, vesselFraction: 0.1, ms: 1))
        }
        let upload = "\(folder.path)/upload.png"
        try Data(try ImageCodec.encodePNG(Self.wider)).write(to: URL(fileURLWithPath: upload))

        #expect(throws: CorrectionError.unknownImage("f00")) {
            try lab.correctionExamination(of: upload, image: "f00", annotator: "ana", basedOnModel: nil)
        }
        #expect(throws: CorrectionError.notPredictedBy(model: "m3", image: image)) {
            try lab.correctionExamination(of: upload, image: image, annotator: "ana", basedOnModel: "m3")
        }
        let work = try lab.correctionExamination(of: upload, image: image, annotator: "ana", basedOnModel: "m1")
        let outcome = try lab.recordCorrection(work(), from: upload)
        guard case .accepted(let sha, let seq) = outcome else { Issue.record("\(outcome)"); return }
        let record = try #require(try lab.corrections(ofImage: image).last)
        #expect(record.seq == seq && record.mask == sha)
        #expect(record.annotator == "ana")
        #expect(record.basedOnModel == "m1", "not the newest prediction (m2): the one the annotator saw")
        #expect(record.pixelsChanged == 16, "column 1 added to m1's mask")
        #expect(record.disagreement == nil)

        try Data(try ImageCodec.encodePNG(Self.base)).write(to: URL(fileURLWithPath: upload))
        let second = try lab.correctionExamination(of: upload, image: image, annotator: "bo", basedOnModel: nil)
        guard case .accepted = try lab.recordCorrection(second(), from: upload) else { Issue.record("second"); return }
        let last = try #require(try lab.corrections(ofImage: image).last)
        #expect(last.basedOnModel == nil && last.pixelsChanged == nil, "drawn without a prediction")
        #expect(last.disagreement == Disagreement(annotator: "ana", mask: sha, dice: 128.0 / 144.0))
    }
}
