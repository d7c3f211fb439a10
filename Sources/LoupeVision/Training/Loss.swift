import Foundation

/// Binary cross-entropy plus soft Dice, both on the logits of a batch.
///
/// Vessels cover a few percent of a fundus image: cross-entropy alone is content to predict
/// background everywhere, and the Dice term (computed over the whole batch) is what rewards
/// finding the thin vessels.
enum SegmentationLoss {
    /// Keeps Dice defined for crops without vessels.
    static let smoothing: Double = 1

    struct Result {
        let loss: Float
        let crossEntropy: Float
        let dice: Float
        let gradient: Tensor
    }

    static func evaluate(logits: Tensor, targets: [Float]) -> Result {
        precondition(logits.count == targets.count, "one target per logit")
        let count = logits.count
        var probabilities = [Float](repeating: 0, count: count)
        var crossEntropy: Double = 0, intersection: Double = 0, predicted: Double = 0, actual: Double = 0
        logits.storage.withUnsafeBufferPointer { zs in
            targets.withUnsafeBufferPointer { ts in
                probabilities.withUnsafeMutableBufferPointer { ps in
                    for i in 0..<count {
                        let z = zs[i], t = ts[i]
                        let p = Sigmoid.value(z)
                        ps[i] = p
                        crossEntropy += Double(max(z, 0) - z * t + log1pf(expf(-abs(z))))
                        intersection += Double(p * t)
                        predicted += Double(p)
                        actual += Double(t)
                    }
                }
            }
        }
        let n = Double(count)
        let denominator = predicted + actual + smoothing
        let dice = (2 * intersection + smoothing) / denominator
        var gradient = Tensor(uninitializedBatch: logits.batch, channels: logits.channels,
                              height: logits.height, width: logits.width)
        let numerator = 2 * intersection + smoothing
        let scale = 1 / (denominator * denominator)
        gradient.storage.withUnsafeMutableBufferPointer { gs in
            targets.withUnsafeBufferPointer { ts in
                probabilities.withUnsafeBufferPointer { ps in
                    for i in 0..<count {
                        let p = Double(ps[i]), t = Double(ts[i])
                        let dDice = (2 * t * denominator - numerator) * scale
                        gs[i] = Float((p - t) / n - dDice * p * (1 - p))
                    }
                }
            }
        }
        let bce = crossEntropy / n
        return Result(loss: Float(bce + 1 - dice), crossEntropy: Float(bce), dice: Float(dice), gradient: gradient)
    }
}
