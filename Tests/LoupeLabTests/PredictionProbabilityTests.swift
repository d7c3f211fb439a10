import Foundation
import LoupeLedger
import LoupeVision
import Testing
@testable import LoupeLab

@Suite struct PredictionProbabilityTests {
    /// The heat map the browser shows: stored with every prediction, named by PredictionMade,
    /// the same size as the image, one grey channel, and the mask is its threshold.
    @Test func aPredictionStoresItsProbabilityMap() throws {
        let (_, lab, image) = try CorrectionIntakeTests.labWithImage()
        let weights = try ModelWeights(initializing: ModelConfig(channels: [2, 4], bottleneck: 4), seed: 1)
        let model = try lab.objects.put(try weights.encoded())
        let job = try lab.predictionJob(forImage: image, model: try lab.model(model))
        guard case .predicted(let made) = job.run() else { Issue.record("no prediction"); return }
        let probability = try #require(made.probability)
        let map = try ImageCodec.decode(try lab.objectBytes(probability))
        #expect(map.width == 24 && map.height == 16 && map.channels == 1)
        let mask = try ImageCodec.decode(try lab.objectBytes(made.mask))
        #expect(map.pixels.map { $0 >= 128 ? 255 : 0 } == mask.pixels.map(Int.init), "the mask is the map at 0.5")
        #expect(!FileManager.default.fileExists(atPath: "\(lab.predictions)/im0001.prob.png"), "predictions/ gets it only when asked")

        try lab.recordPrediction(made)
        #expect(try lab.latestPrediction(ofImage: image) == made)
        #expect(try lab.prediction(ofImage: image, by: model) == made)
        #expect(try lab.prediction(ofImage: image, by: "other") == nil)
        #expect(try lab.verify().warnings == ["object \(model) is named by no event (left by an interrupted intake or job)"],
                "the map is named by its event; the weights, trained nowhere here, by none")
    }

    @Test(arguments: ["", "../loupe.sqlite", String(repeating: "A", count: 64), String(repeating: "a", count: 63) + "/", "ab"])
    func anObjectNameThatIsNoSHAIsRefusedBeforeItBecomesAPath(_ sha: String) throws {
        let (_, lab) = try makeLab()
        #expect(throws: LookupError.noObject(sha)) { try lab.objectBytes(sha) }
    }
}
