import Foundation

/// Binary cross-entropy plus soft Dice, both on the logits of a batch, plus optionally a
/// weighted skeleton recall term.
///
/// Vessels cover a few percent of a fundus image: cross-entropy alone is content to predict
/// background everywhere, and the Dice term (computed over the whole batch) is what rewards
/// finding the vessels. Dice still weighs a vessel by its area, so a thin one, which is most
/// of what an expert has to trace, counts for little; skeleton recall (Kirchhoff et al., ECCV
/// 2024), 1 - sum(p * centerline) / sum(centerline), weighs every vessel by its length.
enum SegmentationLoss {
    /// Keeps Dice defined for crops without vessels.
    static let smoothing: Double = 1

    struct Result {
        let loss: Float
        let crossEntropy: Float
        let dice: Float
        /// Soft recall of the label's centerline; 1 without the term.
        let centerlineRecall: Float
        let gradient: Tensor
    }

    /// `skeletonRecall` weighs the skeleton recall term; above 0 it needs `centerlines`.
    static func evaluate(logits: Tensor, targets: [Float], centerlines: [Float] = [], skeletonRecall: Double = 0)
        -> Result
    {
        precondition(logits.count == targets.count, "one target per logit")
        precondition(skeletonRecall == 0 || centerlines.count == targets.count, "one centerline value per logit")
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
        let recall = skeletonRecall == 0
            ? 1 : addCenterlineRecall(probabilities, centerlines, weight: skeletonRecall, to: &gradient)
        return Result(loss: Float(bce + 1 - dice + skeletonRecall * (1 - recall)), crossEntropy: Float(bce),
                      dice: Float(dice), centerlineRecall: Float(recall), gradient: gradient)
    }

    /// Adds the gradient of weight * (1 - recall) and returns the recall, smoothed like Dice so
    /// that a batch without vessels has recall 1 and no gradient.
    private static func addCenterlineRecall(
        _ probabilities: [Float], _ centerlines: [Float], weight: Double, to gradient: inout Tensor
    ) -> Double {
        var covered: Double = 0, length: Double = 0
        for (p, c) in zip(probabilities, centerlines) where c > 0 {
            covered += Double(p)
            length += 1
        }
        let denominator = length + smoothing
        let scale = weight / denominator
        gradient.storage.withUnsafeMutableBufferPointer { gs in
            for (i, (p, c)) in zip(probabilities, centerlines).enumerated() where c > 0 {
                gs[i] -= Float(scale * Double(p) * Double(1 - p))
            }
        }
        return (covered + smoothing) / denominator
    }
}
