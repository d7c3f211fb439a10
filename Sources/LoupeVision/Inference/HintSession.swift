/// An image being corrected with clicks: its probabilities under the clicks so far, updated
/// click by click over only the pixels a click can change.
///
/// A click's bump reaches `GuidanceMaps.reach` pixels and the network sees `margin` pixels
/// around each output, so nothing outside that square around the click changes: re-predicting
/// the square (with every click so far as guidance) leaves the map equal to a whole-image
/// guided prediction, at a fraction of its cost.
public struct HintSession: Sendable {
    public let predictor: Predictor
    public let width: Int
    public let height: Int
    public private(set) var clicks: [Click] = []
    /// Row-major over the whole image.
    public private(set) var probability: [Float]
    private let encoded: EncodedImage

    /// Starts from the model's prediction without clicks, computed here unless given.
    public init(predictor: Predictor, image: RasterImage, fov: RasterImage?, probability: [Float]? = nil) {
        precondition(predictor.weights.config.guidance, "hints need a model trained with guidance")
        self.predictor = predictor
        width = image.width
        height = image.height
        encoded = EncodedImage(image, config: predictor.weights.config, fov: fov ?? estimateFOV(image: image))
        self.probability = probability
            ?? predictor.probabilities(encoded, clicks: [], in: .whole(width: image.width, height: image.height))
    }

    /// The pixels a click at `click` can change.
    public func reach(of click: Click) -> PixelRegion {
        let radius = predictor.margin + GuidanceMaps.reach
        let x0 = max(0, click.x - radius), y0 = max(0, click.y - radius)
        let x1 = min(width, click.x + radius + 1), y1 = min(height, click.y + radius + 1)
        return PixelRegion(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
            .aligned(to: predictor.weights.config.sizeMultiple, imageWidth: width, imageHeight: height)
    }

    /// Adds `newClicks` and re-predicts what they can change; returns that region, whose
    /// probabilities are now in `probability`.
    @discardableResult
    public mutating func add(_ newClicks: [Click]) -> PixelRegion {
        precondition(!newClicks.isEmpty, "no clicks to add")
        precondition(newClicks.allSatisfy { (0..<width).contains($0.x) && (0..<height).contains($0.y) },
                     "a click lies outside the image")
        clicks += newClicks
        let region = newClicks.dropFirst().reduce(reach(of: newClicks[0])) { $0.union(reach(of: $1)) }
        let values = predictor.probabilities(encoded, clicks: clicks, in: region)
        for row in 0..<region.height {
            let start = (region.y + row) * width + region.x
            probability.replaceSubrange(start..<start + region.width,
                                        with: values[row * region.width..<(row + 1) * region.width])
        }
        return region
    }

    /// The region's probabilities, row-major over the region.
    public func probability(in region: PixelRegion) -> [Float] {
        (region.y..<region.y + region.height).flatMap { y in
            probability[(y * width + region.x)..<(y * width + region.x + region.width)]
        }
    }
}
