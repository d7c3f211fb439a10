/// Pools pixels from many images into one confusion matrix and one ROC curve, the way the
/// retinal-vessel literature reports "pooled" scores (all test pixels together).
///
/// The ROC curve is kept as two histograms of quantised probabilities, so pooling is addition
/// and the AUC is exact for the quantised scores (ties count one half).
public struct MetricsAccumulator: Sendable {
    static let bins = 1 << 16
    public let threshold: Float
    private var counts = (tp: 0, fp: 0, tn: 0, fn: 0)
    private var positives = [Int](repeating: 0, count: MetricsAccumulator.bins)
    private var negatives = [Int](repeating: 0, count: MetricsAccumulator.bins)

    public init(threshold: Float = 0.5) { self.threshold = threshold }

    public mutating func add(probability: [Float], label: RasterImage, fov: RasterImage?) {
        let truth = label.luminance.pixels
        precondition(probability.count == truth.count, "probability map and label differ in size")
        let inside = fov.map { $0.luminance.pixels }
        precondition(inside == nil || inside!.count == truth.count, "FOV and label differ in size")
        let top = Float(Self.bins - 1)
        for i in 0..<truth.count {
            if let inside, inside[i] <= 127 { continue }
            let p = probability[i]
            let bin = Int((min(max(p, 0), 1) * top).rounded())
            let vessel = truth[i] > 127
            let predicted = p >= threshold
            if vessel {
                positives[bin] += 1
                if predicted { counts.tp += 1 } else { counts.fn += 1 }
            } else {
                negatives[bin] += 1
                if predicted { counts.fp += 1 } else { counts.tn += 1 }
            }
        }
    }

    public mutating func add(_ other: MetricsAccumulator) {
        counts.tp += other.counts.tp
        counts.fp += other.counts.fp
        counts.tn += other.counts.tn
        counts.fn += other.counts.fn
        for i in 0..<Self.bins {
            positives[i] += other.positives[i]
            negatives[i] += other.negatives[i]
        }
    }

    public var metrics: SegmentationMetrics {
        SegmentationMetrics(truePositives: counts.tp, falsePositives: counts.fp, trueNegatives: counts.tn,
                            falseNegatives: counts.fn, auc: auc)
    }

    /// Probability that a random vessel pixel scores above a random background pixel.
    private var auc: Double {
        let totalPositive = positives.reduce(0, +), totalNegative = negatives.reduce(0, +)
        guard totalPositive > 0, totalNegative > 0 else { return 0 }
        var negativesBelow = 0.0, area = 0.0
        for bin in 0..<Self.bins {
            area += Double(positives[bin]) * (negativesBelow + 0.5 * Double(negatives[bin]))
            negativesBelow += Double(negatives[bin])
        }
        return area / (Double(totalPositive) * Double(totalNegative))
    }
}
