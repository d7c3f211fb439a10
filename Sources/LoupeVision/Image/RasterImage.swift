/// Decoded pixels as they came from a file: 8 bits per channel, interleaved, row-major.
///
/// Channels: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA. Sixteen-bit sources keep their high byte.
public struct RasterImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let channels: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && (1...4).contains(channels), "bad image shape")
        precondition(pixels.count == width * height * channels, "pixel count does not match the shape")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// One channel of the image as its own gray image (the vessel model reads the green one).
    public func channel(_ index: Int) -> RasterImage {
        precondition(index < channels, "no channel \(index) in a \(channels)-channel image")
        var plane = [UInt8](repeating: 0, count: width * height)
        pixels.withUnsafeBufferPointer { source in
            for i in 0..<plane.count { plane[i] = source[i &* channels &+ index] }
        }
        return RasterImage(width: width, height: height, channels: 1, pixels: plane)
    }

    /// Gray view used for masks: the first channel, since masks are stored gray or as equal RGB.
    public var luminance: RasterImage { channels == 1 ? self : channel(0) }
}
