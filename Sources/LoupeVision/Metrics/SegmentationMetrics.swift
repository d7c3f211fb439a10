/// Pixel-level agreement of a segmentation with a reference, counted inside the field of view.
public struct SegmentationMetrics: Equatable, Sendable {
    public let truePositives: Int
    public let falsePositives: Int
    public let trueNegatives: Int
    public let falseNegatives: Int
    /// Area under the ROC curve of the probabilities (for a hard mask: (Se + Sp) / 2).
    public let auc: Double

    public var f1: Double { ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives) }
    public var dice: Double { f1 }
    public var sensitivity: Double { ratio(truePositives, truePositives + falseNegatives) }
    public var specificity: Double { ratio(trueNegatives, trueNegatives + falsePositives) }
    public var accuracy: Double {
        ratio(truePositives + trueNegatives, truePositives + trueNegatives + falsePositives + falseNegatives)
    }

    public init(truePositives: Int, falsePositives: Int, trueNegatives: Int, falseNegatives: Int, auc: Double) {
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.trueNegatives = trueNegatives
        self.falseNegatives = falseNegatives
        self.auc = auc
    }

    /// Scores a probability map (row-major, one value in [0, 1] per pixel) against a label image
    /// (> 127 = vessel); pixels outside `fov` (> 127 = inside) are ignored.
    public init(probability: [Float], label: RasterImage, fov: RasterImage?, threshold: Float = 0.5) {
        var accumulator = MetricsAccumulator(threshold: threshold)
        accumulator.add(probability: probability, label: label, fov: fov)
        self = accumulator.metrics
    }

    /// Scores a hard mask (> 127 = vessel) against a label, e.g. one expert against another.
    public init(mask: RasterImage, label: RasterImage, fov: RasterImage?) {
        self.init(probability: mask.luminance.pixels.map { $0 > 127 ? 1 : 0 }, label: label, fov: fov)
    }

    private func ratio(_ numerator: Int, _ denominator: Int) -> Double {
        denominator == 0 ? 0 : Double(numerator) / Double(denominator)
    }
}
