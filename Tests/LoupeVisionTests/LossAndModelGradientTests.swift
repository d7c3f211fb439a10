import Testing
@testable import LoupeVision

@Suite struct LossAndModelGradientTests {
    @Test func lossGradientMatchesFiniteDifferences() {
        let logits = GradientCheck.random(2 * 1 * 3 * 3, seed: 20, scale: 3)
        let targets: [Float] = (0..<18).map { $0 % 4 == 0 ? 1 : 0 }
        func shaped(_ values: [Float]) -> Tensor { Tensor(batch: 2, channels: 1, height: 3, width: 3, storage: values) }
        let result = SegmentationLoss.evaluate(logits: shaped(logits), targets: targets)
        let numeric = GradientCheck.numeric(logits, step: 1e-3) {
            Double(SegmentationLoss.evaluate(logits: shaped($0), targets: targets).loss)
        }
        #expect(GradientCheck.worstError(result.gradient.storage, numeric) < 1e-3)
    }

    @Test func skeletonRecallGradientMatchesFiniteDifferences() {
        let logits = GradientCheck.random(2 * 1 * 3 * 3, seed: 22, scale: 3)
        let targets: [Float] = (0..<18).map { $0 % 3 == 0 ? 1 : 0 }
        let centerlines: [Float] = (0..<18).map { $0 % 6 == 0 ? 1 : 0 }
        func shaped(_ values: [Float]) -> Tensor { Tensor(batch: 2, channels: 1, height: 3, width: 3, storage: values) }
        func evaluate(_ values: [Float]) -> SegmentationLoss.Result {
            SegmentationLoss.evaluate(
                logits: shaped(values), targets: targets, centerlines: centerlines, skeletonRecall: 2)
        }
        let numeric = GradientCheck.numeric(logits, step: 1e-3) { Double(evaluate($0).loss) }
        #expect(GradientCheck.worstError(evaluate(logits).gradient.storage, numeric) < 1e-3)
        let without = SegmentationLoss.evaluate(logits: shaped(logits), targets: targets)
        #expect(evaluate(logits).gradient.storage != without.gradient.storage)
    }

    @Test func skeletonRecallIsTheShareOfTheCenterlineFound() {
        // Three centerline pixels: two found with certainty, one missed; smoothing adds 1 to both sides.
        let centerlines: [Float] = [1, 1, 1, 0]
        let logits = Tensor(batch: 1, channels: 1, height: 2, width: 2, storage: [30, 30, -30, -30])
        let result = SegmentationLoss.evaluate(
            logits: logits, targets: centerlines, centerlines: centerlines, skeletonRecall: 1)
        #expect(abs(result.centerlineRecall - 3.0 / 4.0) < 1e-6)
        let plain = SegmentationLoss.evaluate(logits: logits, targets: centerlines)
        #expect(abs(result.loss - plain.loss - 0.25) < 1e-5)
        #expect(plain.centerlineRecall == 1)
    }

    @Test func lossIsSmallForConfidentCorrectLogits() {
        let targets: [Float] = [1, 0, 0, 1]
        let logits = Tensor(batch: 1, channels: 1, height: 2, width: 2, storage: targets.map { $0 > 0 ? 12 : -12 })
        let result = SegmentationLoss.evaluate(logits: logits, targets: targets)
        #expect(result.loss < 1e-3 && result.loss >= 0)
        #expect(result.dice > 0.999)
    }

    @Test func unetGradientMatchesFiniteDifferences() {
        let input = Tensor(batch: 2, channels: 1, height: 8, width: 4, storage: GradientCheck.random(64, seed: 21))
        let targets: [Float] = (0..<64).map { $0 % 5 == 0 ? 1 : 0 }
        let (gradients, numeric) = GradientCheck.unet(ModelConfig(channels: [2, 3], bottleneck: 4), input: input, targets: targets)
        #expect(GradientCheck.worstError(gradients, numeric) < 5e-3)
        #expect(gradients.contains { $0 != 0 })
    }
}
