import Foundation

/// Binary cross-entropy plus soft Dice, both on the logits of a batch, plus optionally a
/// centerline recall term.
///
/// Vessels cover a few percent of a fundus image: cross-entropy alone is content to predict
/// background everywhere, and the Dice term (computed over the whole batch) is what rewards
/// finding vessels. Dice counts pixels, so a wide vessel outweighs a hairline of the same length;
/// an expert's correction is the other way round (it is the hairlines that must be drawn). The
/// centerline term is clDice's topology sensitivity (Shit et al. 2021) on the label's own thinned
/// centerline: the mean probability along it, so each vessel counts by its length.
enum SegmentationLoss {
    /// Keeps Dice defined for crops without vessels.
    static let smoothing: Double = 1

    struct Result {
        let loss: Float
        let crossEntropy: Float
        let dice: Float
        /// Mean probability on the label's centerline; 1 when the batch has none.
        let centerlineRecall: Float
        let gradient: Tensor
    }

    /// `centerline`: 1 on the label's centerline pixels (empty: no centerline term);
    /// the loss adds `centerlineWeight * (1 - recall)`.
    static func evaluate(logits: Tensor, targets: [Float], centerline: [Float] = [], centerlineWeight: Float = 0) -> Result {
        precondition(logits.count == targets.count, "one target per logit")
        precondition(centerline.isEmpty || centerline.count == targets.count, "one centerline flag per logit")
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
        let recall = CenterlineRecall(probabilities: probabilities, centerline: centerline, weight: Double(centerlineWeight))
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
            recall.addGradient(to: gs, probabilities: probabilities, centerline: centerline)
        }
        let bce = crossEntropy / n
        return Result(
            loss: Float(bce + 1 - dice + recall.loss), crossEntropy: Float(bce), dice: Float(dice),
            centerlineRecall: Float(recall.value), gradient: gradient)
    }
}

/// `weight * (1 - sum(c p) / sum(c))` over the batch's centerline pixels `c`. Unsmoothed: a
/// batch without centerline has no term, rather than one that pulls every pixel to vessel.
private struct CenterlineRecall {
    let value: Double
    let loss: Double
    /// d loss / d p on a centerline pixel.
    let slope: Double

    init(probabilities: [Float], centerline: [Float], weight: Double) {
        var covered: Double = 0, length: Double = 0
        for (p, c) in zip(probabilities, centerline) where c > 0 {
            covered += Double(p)
            length += 1
        }
        guard weight > 0, length > 0 else { (value, loss, slope) = (1, 0, 0); return }
        value = covered / length
        loss = weight * (1 - value)
        slope = -weight / length
    }

    func addGradient(to gradient: UnsafeMutableBufferPointer<Float>, probabilities: [Float], centerline: [Float]) {
        guard slope != 0 else { return }
        for i in centerline.indices where centerline[i] > 0 {
            let p = Double(probabilities[i])
            gradient[i] += Float(slope * p * (1 - p))
        }
    }
}
