import Foundation
import Testing
@testable import LoupeVision

@Suite struct GuidanceTests {
    private let guided = ModelConfig(channels: [2, 4], bottleneck: 4, guidance: true)

    @Test func anUnguidedConfigIsWrittenAsBeforeAndAGuidedOneSaysSo() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let plain = String(decoding: try encoder.encode(ModelConfig()), as: UTF8.self)
        #expect(plain == #"{"bottleneck":128,"channels":[16,32,64],"input":"green","normalization":"per-image"}"#)
        let written = try encoder.encode(guided)
        #expect(String(decoding: written, as: UTF8.self).contains(#""guidance":true"#))
        #expect(try JSONDecoder().decode(ModelConfig.self, from: written) == guided)
        #expect(try JSONDecoder().decode(ModelConfig.self, from: Data(plain.utf8)).guidance == false)
        #expect(guided.inputChannels == 3 && ModelConfig(input: .rgb).inputChannels == 3)
    }

    @Test func aGuidedModelFileRoundTripsAndAWrongTypeIsRefused() throws {
        let weights = try ModelWeights(initializing: guided, seed: 4)
        let decoded = try ModelWeights(decoding: weights.encoded())
        #expect(decoded == weights && decoded.config.guidance)
        #expect(weights.encoded()[8..<12] == [2, 0, 0, 0], "a guided model is a version 2 file")
        let plain = try ModelWeights(initializing: ModelConfig(channels: [2, 4], bottleneck: 4), seed: 4)
        #expect(plain.encoded()[8..<12] == [1, 0, 0, 0], "an unguided one is written as before")
        let bad = #"{"channels":[2],"bottleneck":4,"guidance":"yes"}"#
        #expect(throws: (any Error).self) { try JSONDecoder().decode(ModelConfig.self, from: Data(bad.utf8)) }
    }

    @Test func clicksBecomeGaussianBumpsOnTheirOwnPlane() {
        let clicks = [Click(x: 10, y: 10, kind: .vessel), Click(x: 30, y: 5, kind: .background)]
        let planes = GuidanceMaps.planes(for: clicks, width: 40, height: 20)
        let plane = 40 * 20
        #expect(planes[10 * 40 + 10] == 1)
        #expect(planes[plane + 5 * 40 + 30] == 1)
        #expect(planes[5 * 40 + 30] == 0, "a background click leaves the vessel plane alone")
        let oneSigma = planes[10 * 40 + 10 + Int(GuidanceMaps.sigma)]
        #expect(abs(oneSigma - Float(exp(-0.5))) < 1e-6)
        #expect(planes[10 * 40 + 10 + GuidanceMaps.reach + 1] == 0)
        #expect(planes.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test func aWindowFarFromEveryClickStaysZero() {
        var window = [Float](repeating: 0, count: 2 * 16 * 16)
        let clicks = [Click(x: 500, y: 3, kind: .vessel), Click(x: 2, y: 400, kind: .background)]
        window.withUnsafeMutableBufferPointer {
            GuidanceMaps.fill($0.baseAddress!, clicks: clicks, x0: 100, y0: 100, width: 16, height: 16)
        }
        #expect(window.allSatisfy { $0 == 0 })
    }

    @Test func aHintFarFromAnEarlierOneUsesSmallTilesAndStaysExact() throws {
        let weights = try ModelWeights(initializing: guided, seed: 3)
        let sample = SyntheticVessels.sample(size: 160, seed: 2)
        let predictor = Predictor(weights: weights, tileSize: 32)
        var session = HintSession(predictor: predictor, image: sample.image, fov: nil)
        let clicks = [Click(x: 5, y: 5, kind: .vessel), Click(x: 150, y: 150, kind: .background)]
        session.add([clicks[0]])
        session.add([clicks[1]])
        let whole = Predictor(weights: weights).predict(image: sample.image, clicks: clicks).probability
        #expect(zip(session.probability, whole).map { abs($0 - $1) }.max()! < 1e-5)
    }

    @Test func aHintChangesOnlyItsReachAndMatchesAWholeImageGuidedPass() throws {
        let weights = try ModelWeights(initializing: guided, seed: 7)
        let sample = SyntheticVessels.sample(size: 150, seed: 5)
        let predictor = Predictor(weights: weights)
        var session = HintSession(predictor: predictor, image: sample.image, fov: nil)
        let before = session.probability
        #expect(before == predictor.predict(image: sample.image).probability)
        let clicks = [Click(x: 20, y: 30, kind: .vessel), Click(x: 25, y: 40, kind: .background)]
        let region = session.add(clicks)
        let whole = predictor.predict(image: sample.image, clicks: clicks).probability
        let worst = zip(session.probability, whole).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-5)
        #expect(region.x == 0 && region.y == 0 && region.width < 150 && region.height < 150)
        for y in 0..<150 {
            for x in 0..<150 where x >= region.x + region.width || y >= region.y + region.height {
                #expect(session.probability[y * 150 + x] == before[y * 150 + x])
            }
        }
        #expect(zip(session.probability, before).contains { $0 != $1 }, "the clicks changed something")
        #expect(session.probability(in: region).count == region.width * region.height)
    }

    @Test func theExpertClicksTheLongestWrongPieceFirst() {
        var label = PixelMask(width: 60, height: 40), prediction = PixelMask(width: 60, height: 40)
        for x in 5..<55 { label.bits[10 * 60 + x] = true }  // a 50 px vessel the model misses
        for x in 5..<20 { label.bits[30 * 60 + x] = true; prediction.bits[30 * 60 + x] = true }
        for y in 20..<35 { prediction.bits[y * 60 + 45] = true }  // a 15 px false vessel
        let candidates = ClickPolicy(label: label).candidates(for: prediction)
        #expect(candidates.count == 2)
        #expect(candidates[0].click.kind == .vessel && candidates[0].click.y == 10)
        #expect((25...34).contains(candidates[0].click.x), "about the middle of the missed vessel")
        #expect(candidates[1].click.kind == .background && candidates[1].click.x == 45)
        #expect(candidates[0].length > candidates[1].length)
        #expect(ClickPolicy(label: label).next(for: label) == nil)
    }

    @Test func trainingPlacesClicksWhereTheModelIsWrongAndStaysReproducible() throws {
        let net = UNet(config: guided)
        let parameters = net.initialParameters(seed: 1)
        let samples = (0..<4).map { seed -> AugmentedSample in
            let s = SyntheticVessels.sample(size: 32, seed: UInt64(seed))
            let encoded = EncodedImage(s.image, config: guided, fov: nil)
            return AugmentedSample(encoded, label: s.mask.luminance.pixels.map { $0 > 127 ? 1 : 0 })
        }
        var batch = Batch(samples[...], multiple: guided.sizeMultiple, guidance: true)
        #expect(batch.input.channels == 3)
        var generator = SeededGenerator(seed: 3)
        let placed = parameters.withUnsafeBufferPointer {
            ClickSimulation.place(in: &batch, net: net, parameters: $0.baseAddress!, scratch: Scratch(), generator: &generator)
        }
        #expect(placed > 0)
        let plane = 32 * 32
        var peaks = 0
        for n in 0..<4 {
            let start: Int = (n * 3 + 1) * plane
            peaks += batch.input.storage[start..<(start + 2 * plane)].filter { $0 == 1 }.count
        }
        #expect(peaks == placed, "one peak of 1 per click")

        let training = samples.map { _ in SyntheticVessels.sample(size: 48, seed: 9) }
        let config = TrainingConfig(budget: .epochs(2), batchSize: 2, seed: 5, augment: AugmentationPipeline(steps: [.crop(size: 32, count: 2)]))
        let first = try Trainer.train(model: guided, config: config, samples: training, threads: 1)
        let second = try Trainer.train(model: guided, config: config, samples: training, threads: 1)
        #expect(first.weights == second.weights)
    }

    @Test func aGuidedUNetGradientMatchesFiniteDifferences() {
        let input = Tensor(batch: 1, channels: 3, height: 4, width: 4, storage: GradientCheck.random(48, seed: 8))
        let targets: [Float] = (0..<16).map { $0 % 3 == 0 ? 1 : 0 }
        let config = ModelConfig(channels: [2], bottleneck: 3, guidance: true)
        let (gradients, numeric) = GradientCheck.unet(config, input: input, targets: targets)
        #expect(GradientCheck.worstError(gradients, numeric) < 5e-3)
        #expect(gradients.contains { $0 != 0 })
    }
}
