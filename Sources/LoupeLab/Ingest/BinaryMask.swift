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

    func differences(from other: BinaryMask) -> Int {
        guard other.raster.width == raster.width, other.raster.height == raster.height else { return raster.pixels.count }
        var count = 0
        for i in 0..<raster.pixels.count where raster.pixels[i] != other.raster.pixels[i] { count &+= 1 }
        return count
    }
}
