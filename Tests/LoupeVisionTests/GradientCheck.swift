@testable import LoupeVision

/// Central finite differences of a scalar function, for comparing against analytic backward passes.
enum GradientCheck {
    static func numeric(_ values: [Float], step: Float = 1e-2, _ f: ([Float]) -> Double) -> [Double] {
        var probe = values
        return values.indices.map { i in
            probe[i] = values[i] + step
            let up = f(probe)
            probe[i] = values[i] - step
            let down = f(probe)
            probe[i] = values[i]
            return (up - down) / (2 * Double(step))
        }
    }

    /// Largest |a - n| / max(1, |n|): relative for large gradients, absolute near zero.
    static func worstError(_ analytic: [Float], _ numeric: [Double]) -> Double {
        zip(analytic, numeric).map { abs(Double($0) - $1) / max(1, abs($1)) }.max() ?? 0
    }

    static func random(_ count: Int, seed: UInt64, scale: Double = 1) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in Float(generator.uniform(-scale, scale)) }
    }

    /// The probe objective sum(weights * y), whose gradient with respect to y is `weights`.
    static func dot(_ y: Tensor, _ weights: [Float]) -> Double {
        zip(y.storage, weights).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    /// The UNet's analytic parameter gradients of the segmentation loss beside finite differences
    /// (a small step keeps the probe off the ReLU and max-pool kinks of a tiny network).
    static func unet(_ config: ModelConfig, input: Tensor, targets: [Float], seed: UInt64 = 3)
        -> (analytic: [Float], numeric: [Double])
    {
        let net = UNet(config: config)
        let parameters = net.initialParameters(seed: seed)
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
        return (gradients, numeric(parameters, step: 1e-4, loss))
    }
}
