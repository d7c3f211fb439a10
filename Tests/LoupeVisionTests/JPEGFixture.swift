import CTurboJPEG
@testable import LoupeVision

/// Encodes JPEG files with libjpeg-turbo, for tests of the decoder.
enum JPEGFixture {
    static func encode(_ image: RasterImage, quality: Int32 = 100) -> [UInt8] {
        let compressor = tjInitCompress()!
        defer { tjDestroy(compressor) }
        var output: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        let gray = image.channels == 1
        let status = image.pixels.withUnsafeBufferPointer {
            tjCompress2(
                compressor, $0.baseAddress, Int32(image.width), 0, Int32(image.height),
                Int32((gray ? TJPF_GRAY : TJPF_RGB).rawValue), &output, &size,
                Int32((gray ? TJSAMP_GRAY : TJSAMP_444).rawValue), quality, TJFLAG_ACCURATEDCT
            )
        }
        precondition(status == 0, String(cString: tjGetErrorStr2(compressor)))
        defer { tjFree(output) }
        return Array(UnsafeBufferPointer(start: output, count: Int(size)))
    }

    /// A smooth picture, which JPEG keeps within a level or two at full quality.
    static func gradient(_ width: Int, _ height: Int, channels: Int) -> RasterImage {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<channels { pixels.append(UInt8(10 + x * 100 / width + y * 60 / height + c * 40)) }
            }
        }
        return RasterImage(width: width, height: height, channels: channels, pixels: pixels)
    }
}
