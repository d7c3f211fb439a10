import Testing
@testable import LoupeVision

@Suite struct InferenceAndMetricsTests {
    private func gray(_ width: Int, _ height: Int, _ pixels: [UInt8]) -> RasterImage {
        RasterImage(width: width, height: height, channels: 1, pixels: pixels)
    }

    @Test func metricsCountOnlyInsideTheFieldOfView() {
        let label = gray(4, 1, [255, 255, 0, 0])
        let fov = gray(4, 1, [255, 255, 255, 0])
        let m = SegmentationMetrics(probability: [0.9, 0.2, 0.7, 0.99], label: label, fov: fov)
        #expect(m.truePositives == 1 && m.falseNegatives == 1 && m.falsePositives == 1 && m.trueNegatives == 0)
        #expect(abs(m.f1 - 0.5) < 1e-12)
        #expect(abs(m.sensitivity - 0.5) < 1e-12)
        #expect(m.specificity == 0)
        // Positives 0.9 and 0.2 against the negative 0.7: one pair of two ranked right.
        #expect(abs(m.auc - 0.5) < 1e-12)
    }

    @Test func aucIsOneForAPerfectRankingAndPoolingAddsCounts() {
        let label = gray(4, 1, [255, 0, 255, 0])
        var pooled = MetricsAccumulator()
        pooled.add(probability: [0.8, 0.1, 0.6, 0.3], label: label, fov: nil)
        pooled.add(probability: [0.4, 0.2, 0.9, 0.0], label: label, fov: nil)
        let m = pooled.metrics
        #expect(abs(m.auc - 1) < 1e-12)
        #expect(m.truePositives == 3 && m.falseNegatives == 1 && m.trueNegatives == 4)
        #expect(abs(m.accuracy - 7.0 / 8) < 1e-12)
        let hard = SegmentationMetrics(mask: gray(4, 1, [255, 0, 0, 0]), label: label, fov: nil)
        #expect(abs(hard.auc - (0.5 + 1) / 2) < 1e-12)
    }

    @Test func tiledPredictionEqualsOneWholeImagePass() throws {
        let weights = try ModelWeights(initializing: ModelConfig(channels: [4, 8], bottleneck: 8), seed: 2)
        let sample = SyntheticVessels.sample(size: 72, seed: 3)
        let whole = Predictor(weights: weights, tileSize: 1024).predict(image: sample.image)
        let tiled = Predictor(weights: weights, tileSize: 16).predict(image: sample.image)
        let worst = zip(whole.probability, tiled.probability).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-5)
        #expect(whole.mask.pixels.allSatisfy { $0 == 0 || $0 == 255 })
    }

    @Test func predictionOfOddSizedImageHasItsSize() throws {
        let weights = try ModelWeights(initializing: ModelConfig(channels: [2, 4], bottleneck: 4), seed: 1)
        let image = RasterImage(width: 37, height: 23, channels: 3, pixels: (0..<(37 * 23 * 3)).map { UInt8($0 % 251) })
        let p = predict(weights: weights, image: image)
        #expect(p.probability.count == 37 * 23 && p.mask.width == 37 && p.probabilityImage.height == 23)
        #expect((0...1).contains(p.uncertainty) && (0...1).contains(p.vesselFraction))
    }

    @Test func uncertaintyIsMeanBinaryEntropyInsideTheFieldOfView() {
        let fov = gray(3, 1, [255, 255, 0])
        let p = Prediction(probability: [0.5, 1, 0.5], width: 3, height: 1, fov: fov, threshold: 0.5)
        #expect(abs(p.uncertainty - 0.5) < 1e-5)
        #expect(abs(p.vesselFraction - 1) < 1e-12)
        #expect(p.probabilityImage.pixels == [128, 255, 128])
    }

    @Test func fieldOfViewIsTheBrightRedDisc() {
        let sample = SyntheticVessels.sample(size: 40, seed: 1)
        let fov = estimateFOV(image: sample.image)
        #expect(fov.pixels[20 * 40 + 20] == 255)
        #expect(fov.pixels[0] == 0 && fov.pixels[40 * 40 - 1] == 0)
        let inside = fov.pixels.filter { $0 == 255 }.count
        #expect(abs(Double(inside) / (3.14159 * 19 * 19) - 1) < 0.05)
    }
}
