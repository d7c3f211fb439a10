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

    @Test func lossIsSmallForConfidentCorrectLogits() {
        let targets: [Float] = [1, 0, 0, 1]
        let logits = Tensor(batch: 1, channels: 1, height: 2, width: 2, storage: targets.map { $0 > 0 ? 12 : -12 })
        let result = SegmentationLoss.evaluate(logits: logits, targets: targets)
        #expect(result.loss < 1e-3 && result.loss >= 0)
        #expect(result.dice > 0.999)
    }

    @Test func unetGradientMatchesFiniteDifferences() {
        let net = UNet(config: ModelConfig(channels: [2, 3], bottleneck: 4))
        let parameters = net.initialParameters(seed: 3)
        let input = Tensor(batch: 2, channels: 1, height: 8, width: 4, storage: GradientCheck.random(64, seed: 21))
        let targets: [Float] = (0..<64).map { $0 % 5 == 0 ? 1 : 0 }
        let scratch = Scratch()
        func loss(_ p: [Float]) -> Double {
            let (logits, _) = p.withUnsafeBufferPointer {
                net.forward(input, parameters: $0.baseAddress!, scratch: scratch, keep: false)
            }
            return Double(SegmentationLoss.evaluate(logits: logits, targets: targets).loss)
        }
        var gradients = [Float](repeating: 0, count: net.parameterCount)
        parameters.withUnsafeBufferPointer { p in
            let (logits, saved) = net.forward(input, parameters: p.baseAddress!, scratch: scratch, keep: true)
            let result = SegmentationLoss.evaluate(logits: logits, targets: targets)
            gradients.withUnsafeMutableBufferPointer { g in
                net.backward(saved!, logitGradient: result.gradient, parameters: p.baseAddress!,
                             gradients: g.baseAddress!, scratch: scratch)
            }
        }
        // A small step keeps the probe off the ReLU and max-pool kinks of this tiny network.
        let numeric = GradientCheck.numeric(parameters, step: 1e-4, loss)
        #expect(GradientCheck.worstError(gradients, numeric) < 5e-3)
        #expect(gradients.contains { $0 != 0 })
    }
}
