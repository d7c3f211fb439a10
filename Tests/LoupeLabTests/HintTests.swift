import Foundation
import LoupeLedger
import LoupeVision
import Testing
@testable import LoupeLab

/// The hint as the lab's one operation: `model.guidance` in loupe.json trains a guided model,
/// whose answer to clicks is the whole-image guided prediction inside the region, whichever
/// way the session got there.
@Suite struct HintTests {
    static let guided = """
        {"model": {"channels": [4, 8], "bottleneck": 8, "guidance": true},
         "training": {"epochs": 2, "batchSize": 4, "augment": [{"type": "crop", "size": 16, "count": 4}]},
         "retrain": {"validationEvery": 1000, "minValidationDice": 0}}
        """

    /// A lab of `count` 48x40 images, the first two corrected, with a model trained under
    /// `settings` promoted and every image predicted by it.
    static func trainedLab(settings: String = guided, count: Int = 3, width: Int = 48) throws -> (TemporaryFolder, Workspace, [String]) {
        let (folder, lab) = try makeLab(settings: settings)
        var shas: [String] = []
        for index in 0..<count {
            let bytes = try ImageCodec.encodePNG(fundus(width: width, height: 40, seed: index))
            _ = try lab.ingestImage(at: try drop(bytes, as: "im\(index).png", into: lab.inbox))
            shas.append(ObjectStore.sha256(bytes))
        }
        for index in 0..<2 {
            let bytes = try ImageCodec.encodePNG(mask(width: width, height: 40, seed: index))
            _ = try lab.ingestCorrection(at: try drop(bytes, as: "im\(index).png", into: lab.corrections))
        }
        let plan = try lab.planTraining()
        try lab.recordTrainingStarted(plan)
        _ = try lab.recordTraining(lab.trainingJob(plan, current: nil).run(), plan: plan, current: nil)
        let model = try #require(try lab.servingModel())
        for sha in shas {
            guard case .predicted(let made) = try lab.predictionJob(forImage: sha, model: model).run() else {
                throw Unpredicted("no prediction of \(sha)")
            }
            try lab.recordPrediction(made)
        }
        return (folder, lab, shas)
    }

    struct Unpredicted: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// The whole-image guided prediction's mask over `region`, 0/255.
    static func wholeImageMask(_ lab: Workspace, image: String, clicks: [Click], region: PixelRegion) throws -> [UInt8] {
        let model = try #require(try lab.servingModel())
        let raster = try ImageCodec.decode(try lab.objectBytes(image))
        let whole = Predictor(weights: model.weights).predict(image: raster, clicks: clicks).mask.pixels
        return (region.y..<region.y + region.height).flatMap { y in whole[(y * raster.width + region.x)..<(y * raster.width + region.x + region.width)] }
    }

    @Test func guidanceInTheSettingsTrainsAGuidedModelWhoseHintsEqualAWholeImagePass() throws {
        let (_, lab, shas) = try Self.trainedLab()
        let model = try #require(try lab.servingModel())
        #expect(model.weights.config.guidance, "\"model\": {\"guidance\": true} in loupe.json reaches the training")
        #expect(model.weights.config.inputChannels == 3)

        let first = [Click(x: 30, y: 20, kind: .vessel)]
        let one = try lab.hint(image: shas[2], clicks: first)
        #expect(one.model == model.sha && !one.reusedSession)
        #expect(one.region.width > 0 && one.region.height > 0 && one.region.x + one.region.width <= 48 && one.region.y + one.region.height <= 40)
        let mask = try ImageCodec.decode(one.mask)
        #expect(mask.width == one.region.width && mask.height == one.region.height)
        #expect(mask.pixels == (try Self.wholeImageMask(lab, image: shas[2], clicks: first, region: one.region)))
        let previous = try ImageCodec.decode(one.previousMask)
        #expect(one.changed == zip(mask.pixels, previous.pixels).filter { $0 != $1 }.count)

        let both = first + [Click(x: 5, y: 35, kind: .background)]
        let two = try lab.hint(image: shas[2], clicks: both, newCount: 1)
        #expect(two.reusedSession, "the second click of the same image reuses its session")
        #expect(try ImageCodec.decode(two.mask).pixels == (try Self.wholeImageMask(lab, image: shas[2], clicks: both, region: two.region)))

        // An undo on the page: the session holds two clicks, the page now one and a new one.
        let other = first + [Click(x: 40, y: 5, kind: .vessel)]
        let redone = try lab.hint(image: shas[2], clicks: other, newCount: 1)
        #expect(!redone.reusedSession, "clicks that are not the session's are answered from a new session")
        #expect(try ImageCodec.decode(redone.mask).pixels == (try Self.wholeImageMask(lab, image: shas[2], clicks: other, region: redone.region)))
        #expect(try lab.hint(image: shas[2], clicks: other, newCount: 1).mask == redone.mask, "the clicks decide the answer")
    }

    /// An earlier click far from the new one guides the whole image but misses the new click's
    /// tile: its bump is left out there (it once trapped on a reversed range, stopping the daemon).
    @Test func clicksFarApartAreAnsweredAsAWholeImagePass() throws {
        let (_, lab, shas) = try Self.trainedLab(width: 400)
        let clicks = [Click(x: 390, y: 20, kind: .vessel), Click(x: 5, y: 20, kind: .background)]
        _ = try lab.hint(image: shas[2], clicks: Array(clicks.prefix(1)))
        let answer = try lab.hint(image: shas[2], clicks: clicks, newCount: 1)
        #expect(answer.reusedSession && answer.region.x == 0 && answer.region.x + answer.region.width < 390)
        #expect(try ImageCodec.decode(answer.mask).pixels == (try Self.wholeImageMask(lab, image: shas[2], clicks: clicks, region: answer.region)))
    }

    @Test func theSessionsKeptAreBounded() throws {
        let (_, lab, shas) = try Self.trainedLab(count: 6)
        for sha in shas { _ = try lab.hint(image: sha, clicks: [Click(x: 1, y: 1, kind: .vessel)]) }
        #expect(lab.hintSessions.count == lab.hintSessions.limit)
    }

    @Test func aHintIsRefusedWithoutAGuidedModelAPredictionOrClicksInsideTheImage() throws {
        let (_, lab, shas) = try Self.trainedLab()
        let click = [Click(x: 1, y: 1, kind: .vessel)]
        let model = try lab.servingModel()
        #expect(throws: HintError.noModel) { try lab.hintJob(image: shas[0], clicks: click, model: nil) }
        #expect(throws: HintError.modelChanged(asked: "abc", serving: model!.sha)) {
            try lab.hintJob(image: shas[0], clicks: click, model: model, expectedModel: "abc")
        }
        let none: [Click] = []
        for (clicks, new) in [(none, nil), (click, 0), (click, 2), ([Click(x: 48, y: 0, kind: .vessel)], nil),
                              ([Click(x: 0, y: -1, kind: .vessel)], nil),
                              (Array(repeating: click[0], count: Workspace.maxHintClicks + 1), nil)] as [([Click], Int?)] {
            #expect(throws: HintError.self) { try lab.hintJob(image: shas[0], clicks: clicks, newCount: new, model: model) }
        }
        let bytes = try ImageCodec.encodePNG(fundus(width: 48, height: 40, seed: 9))
        _ = try lab.ingestImage(at: try drop(bytes, as: "im9.png", into: lab.inbox))
        #expect(throws: HintError.noPrediction(image: ObjectStore.sha256(bytes), model: model!.sha)) {
            try lab.hint(image: ObjectStore.sha256(bytes), clicks: click)
        }

        let (_, unguided, images) = try Self.trainedLab(settings: Self.guided.replacingOccurrences(of: ", \"guidance\": true", with: ""))
        let plain = try #require(try unguided.servingModel())
        #expect(throws: HintError.noGuidance(model: plain.sha)) { try unguided.hint(image: images[0], clicks: click) }
        #expect(HintError.noGuidance(model: plain.sha).description.contains("model.guidance"))
    }
}
