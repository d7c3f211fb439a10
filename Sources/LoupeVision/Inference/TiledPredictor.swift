/// Whole-image inference of any size.
///
/// The image is cut into tiles of `tileSize` (default: large enough that a STARE or DRIVE image
/// is a single tile); each tile is run with a margin of context on every side and only its core
/// is kept. Tile origins and margins are multiples of the pooling factor, and the margin exceeds
/// the network's receptive radius, so the stitched map equals a single whole-image pass: no
/// seams. Padding to the network's multiple uses the value of a black pixel, which is what
/// training crops show outside the field of view.
public struct Predictor: Sendable {
    public let weights: ModelWeights
    public var tileSize: Int
    public var margin: Int
    public var convolution: ConvolutionPath

    public init(weights: ModelWeights, tileSize: Int = 1024, margin: Int? = nil, convolution: ConvolutionPath = .preferred) {
        let multiple = weights.config.sizeMultiple
        self.weights = weights
        self.convolution = convolution
        self.tileSize = max(multiple, tileSize / multiple * multiple)
        // The receptive radius of two 3x3 convolutions per level doubles with every level.
        let radius = 4 * (1 << (weights.config.channels.count + 1))
        self.margin = ((margin ?? radius) + multiple - 1) / multiple * multiple
    }

    /// The whole image; a guided model reads `clicks` (an unguided one is never given any).
    public func predict(image: RasterImage, fov: RasterImage? = nil, threshold: Float = 0.5, clicks: [Click] = [])
        -> Prediction
    {
        precondition(clicks.isEmpty || weights.config.guidance, "clicks given to a model without guidance")
        let field = fov ?? estimateFOV(image: image)
        let encoded = EncodedImage(image, config: weights.config, fov: field)
        let whole = PixelRegion.whole(width: image.width, height: image.height)
        return Prediction(probability: probabilities(encoded, clicks: clicks, in: whole), width: image.width,
                          height: image.height, fov: field, threshold: threshold)
    }

    /// Vessel probabilities inside `region`, row-major over the region: exactly the values a
    /// whole-image pass gives there, since every tile still sees its full margin of context and
    /// starts on the pooling grid.
    func probabilities(_ image: EncodedImage, clicks: [Click], in region: PixelRegion) -> [Float] {
        let net = UNet(config: weights.config, convolution: convolution)
        let scratch = Scratch()
        let normalized = image.normalized()
        let padValues = (0..<image.channels).map { (0 - image.mean[$0]) / image.deviation[$0] }
        let multiple = weights.config.sizeMultiple
        let guidance = weights.config.guidance ? GuidanceMaps.planes : 0
        var output = [Float](repeating: 0, count: region.width * region.height)
        for tileY in stride(from: region.y, to: region.y + region.height, by: tileSize) {
            for tileX in stride(from: region.x, to: region.x + region.width, by: tileSize) {
                let core = (x: tileX..<min(region.x + region.width, tileX + tileSize),
                            y: tileY..<min(region.y + region.height, tileY + tileSize))
                let x0 = max(0, tileX - margin), y0 = max(0, tileY - margin)
                let x1 = min(image.width, core.x.upperBound + margin), y1 = min(image.height, core.y.upperBound + margin)
                let w = (x1 - x0 + multiple - 1) / multiple * multiple
                let h = (y1 - y0 + multiple - 1) / multiple * multiple
                var tile = Tensor(batch: 1, channels: image.channels + guidance, height: h, width: w)
                for c in 0..<image.channels {
                    for i in 0..<h {
                        for j in 0..<w {
                            let (y, x) = (y0 + i, x0 + j)
                            tile[0, c, i, j] = y < y1 && x < x1
                                ? normalized[(c * image.height + y) * image.width + x] : padValues[c]
                        }
                    }
                }
                if guidance > 0 {
                    tile.storage.withUnsafeMutableBufferPointer {
                        GuidanceMaps.fill($0.baseAddress! + image.channels * w * h, clicks: clicks,
                                          x0: x0, y0: y0, width: w, height: h)
                    }
                }
                let logits = weights.parameters.withUnsafeBufferPointer {
                    net.forward(tile, parameters: $0.baseAddress!, scratch: scratch, keep: false).logits
                }
                for y in core.y {
                    for x in core.x {
                        output[(y - region.y) * region.width + x - region.x] =
                            Sigmoid.value(logits.storage[(y - y0) * w + (x - x0)])
                    }
                }
            }
        }
        return output
    }
}

/// Convenience for one-off predictions; see `Predictor`.
public func predict(weights: ModelWeights, image: RasterImage, fov: RasterImage? = nil, threshold: Float = 0.5)
    -> Prediction
{
    Predictor(weights: weights).predict(image: image, fov: fov, threshold: threshold)
}
