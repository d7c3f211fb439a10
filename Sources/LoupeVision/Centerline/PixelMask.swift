/// A binary image, row-major: true = set (a vessel pixel, or a pixel inside the field of view).
///
/// The centerline algorithms work on these rather than on 8-bit rasters, so that "> 127 is set"
/// is decided once, where a file's pixels become a mask.
public struct PixelMask: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public var bits: [Bool]

    public init(width: Int, height: Int, bits: [Bool]) {
        precondition(width > 0 && height > 0 && bits.count == width * height, "bits do not match the shape")
        self.width = width
        self.height = height
        self.bits = bits
    }

    /// An empty mask: what an expert starts from without a prediction.
    public init(width: Int, height: Int) {
        self.init(width: width, height: height, bits: [Bool](repeating: false, count: width * height))
    }

    /// Set where the image's first channel is above 127, as labels and FOV masks are read everywhere.
    public init(_ image: RasterImage) {
        let gray = image.luminance
        self.init(width: gray.width, height: gray.height, bits: gray.pixels.map { $0 > 127 })
    }

    /// Set where the probability reaches the threshold, as `MetricsAccumulator` counts a vessel.
    public init(probability: [Float], width: Int, height: Int, threshold: Float = 0.5) {
        self.init(width: width, height: height, bits: probability.map { $0 >= threshold })
    }

    public var count: Int { bits.reduce(0) { $0 + ($1 ? 1 : 0) } }

    /// False outside the image, so neighbourhood code needs no border cases.
    public subscript(x: Int, y: Int) -> Bool {
        x >= 0 && y >= 0 && x < width && y < height && bits[y * width + x]
    }

    /// Pixels set in both: a mask clipped to a field of view.
    public func intersection(_ other: PixelMask) -> PixelMask {
        precondition(width == other.width && height == other.height, "masks differ in size")
        return PixelMask(width: width, height: height, bits: zip(bits, other.bits).map { $0 && $1 })
    }

    /// Pixels set here and not in `other`.
    public func subtracting(_ other: PixelMask) -> PixelMask {
        precondition(width == other.width && height == other.height, "masks differ in size")
        return PixelMask(width: width, height: height, bits: zip(bits, other.bits).map { $0 && !$1 })
    }

    public func union(_ other: PixelMask) -> PixelMask {
        precondition(width == other.width && height == other.height, "masks differ in size")
        return PixelMask(width: width, height: height, bits: zip(bits, other.bits).map { $0 || $1 })
    }
}
