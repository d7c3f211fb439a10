import LoupeVision

/// A mask as 0/255 pixels. A pixel is foreground when its brightest channel is at least 128,
/// so a vessel drawn in pure red counts as much as one drawn in white.
struct BinaryMask {
    let raster: RasterImage
    let nonBinary: Int
    let foreground: Int

    init(_ image: RasterImage) {
        let count = image.width * image.height
        let channels = image.channels
        var pixels = [UInt8](repeating: 0, count: count)
        var nonBinary = 0
        var foreground = 0
        image.pixels.withUnsafeBufferPointer { source in
            for i in 0..<count {
                var brightest: UInt8 = 0
                var binary = true
                for c in 0..<channels {
                    let value = source[i &* channels &+ c]
                    brightest = max(brightest, value)
                    binary = binary && (value == 0 || value == 255)
                }
                if !binary { nonBinary &+= 1 }
                if brightest >= 128 {
                    pixels[i] = 255
                    foreground &+= 1
                }
            }
        }
        raster = RasterImage(width: image.width, height: image.height, channels: 1, pixels: pixels)
        self.nonBinary = nonBinary
        self.foreground = foreground
    }

    /// 2|A∩B| / (|A|+|B|) over the foreground pixels; 1 when both masks are empty, since two
    /// annotators who both see no vessel agree. 0 for masks of different sizes.
    func dice(with other: BinaryMask) -> Double {
        guard other.raster.width == raster.width, other.raster.height == raster.height else { return 0 }
        let total = foreground + other.foreground
        guard total > 0 else { return 1 }
        var both = 0
        for i in 0..<raster.pixels.count where raster.pixels[i] != 0 && other.raster.pixels[i] != 0 { both &+= 1 }
        return 2 * Double(both) / Double(total)
    }

    func differences(from other: BinaryMask) -> Int {
        guard other.raster.width == raster.width, other.raster.height == raster.height else { return raster.pixels.count }
        var count = 0
        for i in 0..<raster.pixels.count where raster.pixels[i] != other.raster.pixels[i] { count &+= 1 }
        return count
    }
}

extension BinaryMask {
    /// Paint programs save masks with an alpha channel even when nothing is transparent; such a
    /// mask is read from its colour channels. `translucent` counts the pixels that are not
    /// fully opaque, whose meaning is unclear, so a mask with any is refused.
    static func colour(of image: RasterImage) -> (colour: RasterImage, translucent: Int) {
        guard image.channels == 2 || image.channels == 4 else { return (image, 0) }
        let channels = image.channels, kept = channels - 1
        let count = image.width * image.height
        var colour = [UInt8](repeating: 0, count: count * kept)
        var translucent = 0
        image.pixels.withUnsafeBufferPointer { source in
            for i in 0..<count {
                if source[i &* channels &+ kept] != 255 { translucent &+= 1 }
                for c in 0..<kept { colour[i &* kept &+ c] = source[i &* channels &+ c] }
            }
        }
        return (RasterImage(width: image.width, height: image.height, channels: kept, pixels: colour), translucent)
    }
}
