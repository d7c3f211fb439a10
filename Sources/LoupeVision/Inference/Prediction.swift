import Foundation

/// The model's answer for one image.
public struct Prediction: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// Vessel probability per pixel, row-major.
    public let probability: [Float]
    /// 255 where probability >= threshold, one channel.
    public let mask: RasterImage
    /// Probability scaled to 0...255, one channel.
    public let probabilityImage: RasterImage
    /// Mean binary entropy (bits, 0...1) of the probabilities inside the field of view: how
    /// unsure the model is overall, used to put the hardest images first in the queue.
    public let uncertainty: Double
    /// Share of field-of-view pixels predicted as vessel.
    public let vesselFraction: Double

    init(probability: [Float], width: Int, height: Int, fov: RasterImage, threshold: Float) {
        self.width = width
        self.height = height
        self.probability = probability
        mask = RasterImage(width: width, height: height, channels: 1,
                           pixels: probability.map { $0 >= threshold ? 255 : 0 })
        probabilityImage = RasterImage(width: width, height: height, channels: 1,
                                       pixels: probability.map { UInt8((min(max($0, 0), 1) * 255).rounded()) })
        var entropy = 0.0, vessels = 0, inside = 0
        for (p, f) in zip(probability, fov.luminance.pixels) where f > 127 {
            inside += 1
            if p >= threshold { vessels += 1 }
            let q = min(max(Double(p), 1e-7), 1 - 1e-7)
            entropy -= q * log2(q) + (1 - q) * log2(1 - q)
        }
        uncertainty = inside == 0 ? 0 : entropy / Double(inside)
        vesselFraction = inside == 0 ? 0 : Double(vessels) / Double(inside)
    }
}
