import Testing
@testable import LoupeVision

@Suite struct TrainingTests {
    static let tiny = ModelConfig(channels: [4, 8], bottleneck: 16)

    @Test func smallUNetOverfitsASyntheticVesselImage() throws {
        let sample = SyntheticVessels.sample(size: 32, seed: 1)
        let config = TrainingConfig(budget: .epochs(150), batchSize: 1, learningRate: 1e-2, seed: 3,
                                    augment: AugmentationPipeline(steps: []))
        let result = try Trainer.train(model: Self.tiny, config: config, samples: [sample], validation: [sample])
        #expect(result.epochs == 150)
        #expect(result.lossCurve.last! < result.lossCurve.first! / 4)
        let dice = result.validation!.dice
        #expect(dice > 0.9, "Dice \(dice)")
    }

    @Test func sameSeedGivesBitwiseEqualWeights() throws {
        let samples = [SyntheticVessels.sample(size: 48, seed: 4), SyntheticVessels.sample(size: 48, seed: 5)]
        let config = TrainingConfig(
            budget: .epochs(2), batchSize: 3, seed: 9,
            augment: AugmentationPipeline(steps: [.crop(size: 16, count: 3), .flip(horizontal: 0.5, vertical: 0.5),
                                                  .rotate90(probability: 0.5),
                                                  .jitter(brightness: 0.1, contrast: 0.1, gamma: 0.1)]))
        let first = try Trainer.train(model: Self.tiny, config: config, samples: samples)
        let second = try Trainer.train(model: Self.tiny, config: config, samples: samples)
        #expect(first.weights.encoded() == second.weights.encoded())
        #expect(first.crops == 12)
        var other = config
        other.seed = 10
        let third = try Trainer.train(model: Self.tiny, config: other, samples: samples)
        #expect(third.weights != first.weights)
        var recall = config
        recall.skeletonRecall = 1
        let fourth = try Trainer.train(model: Self.tiny, config: recall, samples: samples)
        #expect(fourth.weights != first.weights)
        #expect(try Trainer.train(model: Self.tiny, config: recall, samples: samples).weights == fourth.weights)
    }

    @Test func shouldStopCancelsBeforeTheNextBatch() throws {
        var batches = 0
        #expect(throws: TrainingError.cancelled) {
            _ = try Trainer.train(
                model: Self.tiny, config: TrainingConfig(budget: .epochs(5), batchSize: 1,
                                                         augment: AugmentationPipeline(steps: [])),
                samples: [SyntheticVessels.sample(size: 16, seed: 1)],
                progress: { _ in batches += 1 }, shouldStop: { batches >= 2 })
        }
        #expect(batches == 2)
    }

    @Test func warmStartMustMatchTheArchitecture() throws {
        let other = try ModelWeights(initializing: ModelConfig(channels: [2], bottleneck: 4), seed: 1)
        #expect(throws: TrainingError.warmStartArchitecture) {
            _ = try Trainer.train(model: Self.tiny,
                                  config: TrainingConfig(budget: .epochs(1), augment: AugmentationPipeline(steps: [])),
                                  samples: [SyntheticVessels.sample(size: 16, seed: 1)], warmStart: other)
        }
    }
}
