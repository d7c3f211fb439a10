import Foundation
import Testing
@testable import LoupeVision

@Suite struct AugmentationTests {
    private func decode(_ json: String) throws -> AugmentationPipeline {
        try JSONDecoder().decode(AugmentationPipeline.self, from: Data(json.utf8))
    }

    private func message(_ json: String) -> String {
        do {
            _ = try decode(json)
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    @Test func decodesAndEncodesTheStepList() throws {
        let json = """
            [{"type": "crop", "size": 64, "count": 10}, {"type": "flip", "horizontal": 0.5, "vertical": 0},
             {"type": "rotate90", "probability": 0.25}, {"type": "jitter", "brightness": 0.1, "contrast": 0.2, "gamma": 0.3}]
            """
        let pipeline = try decode(json)
        #expect(pipeline.steps == [.crop(size: 64, count: 10), .flip(horizontal: 0.5, vertical: 0),
                                   .rotate90(probability: 0.25), .jitter(brightness: 0.1, contrast: 0.2, gamma: 0.3)])
        #expect(try JSONDecoder().decode(AugmentationPipeline.self, from: JSONEncoder().encode(pipeline)) == pipeline)
        #expect(pipeline.samplesPerImage == 10)
        #expect(AugmentationPipeline.standard.samplesPerImage == 44)
    }

    @Test func refusesUnknownKeysAndBadValuesByName() {
        #expect(message(#"[{"type": "flip", "horizontall": 0.5}]"#).contains("unknown key 'horizontall'"))
        #expect(message(#"[{"type": "blur"}]"#).contains("unknown step type 'blur'"))
        #expect(message(#"[{"type": "crop", "size": 128}, {"type": "flip", "vertical": 1.5}]"#)
            .contains("step 2: augment flip: 'vertical' must be a probability in [0, 1], got 1.5"))
        #expect(message(#"[{"type": "crop", "size": 0}]"#).contains("'size' must be between 8 and 4096"))
        #expect(message(#"[{"size": 64}]"#).contains("needs a \"type\""))
    }

    @Test func trainingConfigRefusesUnknownKeys() {
        let json = #"{"epochs": 3, "learningrate": 0.01}"#
        #expect(throws: SettingsError.self) { try JSONDecoder().decode(TrainingConfig.self, from: Data(json.utf8)) }
        let model = #"{"channels": [4, 8], "bottleneck": 16, "inputs": "rgb"}"#
        #expect(throws: SettingsError.self) { try JSONDecoder().decode(ModelConfig.self, from: Data(model.utf8)) }
    }

    @Test func cropsFlipsAndRotationsMoveImageAndLabelTogether() {
        let plane = (0..<16).map(Float.init)
        let encoded = EncodedImage(width: 4, height: 4, channels: 1, planes: plane, mean: [0], deviation: [1])
        let sample = AugmentedSample(encoded, label: plane.map { $0 / 100 })
        var generator = SeededGenerator(seed: 1)
        let steps: [AugmentationStep] = [.crop(size: 2, count: 5), .flip(horizontal: 0.5, vertical: 0.5),
                                         .rotate90(probability: 1)]
        let out = AugmentationPipeline(steps: steps).apply(to: [sample], generator: &generator)
        #expect(out.count == 5)
        for crop in out {
            #expect(crop.width == 2 && crop.height == 2)
            #expect(crop.label == crop.input.map { $0 / 100 })
            let values = crop.input.sorted()
            // Any 2x2 window of a 4-wide ramp holds v, v+1, v+4, v+5.
            #expect(values[1] - values[0] == 1 && values[2] - values[0] == 4 && values[3] - values[0] == 5)
        }
    }

    @Test func sameSeedSameCrops() {
        let encoded = EncodedImage(width: 8, height: 8, channels: 1, planes: (0..<64).map(Float.init),
                                   mean: [0], deviation: [1])
        let sample = AugmentedSample(encoded, label: Array(repeating: 0, count: 64))
        func run(_ seed: UInt64) -> [[Float]] {
            var generator = SeededGenerator(seed: seed)
            return AugmentationPipeline.standard.steps.isEmpty ? [] :
                AugmentationPipeline(steps: [.crop(size: 4, count: 6), .jitter(brightness: 0.1, contrast: 0.1, gamma: 0.1)])
                    .apply(to: [sample], generator: &generator).map(\.input)
        }
        #expect(run(3) == run(3))
        #expect(run(3) != run(4))
    }

    @Test func aBatchThinsEachCropsLabelToItsCenterline() {
        // Two 8x8 crops: a bar three rows high (rows 2-4), and no vessel.
        let bar: [Float] = (0..<64).map { (2...4).contains($0 / 8) ? 1 : 0 }
        let crops = [bar, [Float](repeating: 0, count: 64)].map {
            AugmentedSample(
                EncodedImage(width: 8, height: 8, channels: 1, planes: $0, mean: [0], deviation: [1]), label: $0)
        }
        let batch = Batch(crops[...], multiple: 4, centerlines: true)
        let first = Array(batch.centerlines[0..<64]), second = Array(batch.centerlines[64...])
        #expect(first.enumerated().allSatisfy { $0.element == 0 || $0.offset / 8 == 3 })
        #expect(first.reduce(0, +) >= 4)
        #expect(second.allSatisfy { $0 == 0 })
        #expect(Batch(crops[...], multiple: 4).centerlines.isEmpty)
    }

    @Test func skeletonRecallIsReadRangeCheckedAndLeftOutAtZero() throws {
        let config = try JSONDecoder().decode(TrainingConfig.self, from: Data(#"{"skeletonRecall": 0.5}"#.utf8))
        #expect(config.skeletonRecall == 0.5)
        for bad in ["-1", "101", "\"1\""] {
            #expect(throws: (any Error).self) {
                try JSONDecoder().decode(TrainingConfig.self, from: Data(#"{"skeletonRecall": \#(bad)}"#.utf8))
            }
        }
        // A run recorded before the term existed decodes to the same config and re-encodes unchanged.
        let plain = String(decoding: try JSONEncoder().encode(TrainingConfig()), as: UTF8.self)
        #expect(!plain.contains("skeletonRecall"))
        #expect(try JSONDecoder().decode(TrainingConfig.self, from: Data(plain.utf8)) == TrainingConfig())
    }
}
