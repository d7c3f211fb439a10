/// The size an image may claim before any of its pixels are allocated: each decoder checks
/// its header against these first, so a small file cannot claim gigabytes.
struct ImageLimits: Sendable {
    var maxDimension: Int
    var maxPixels: Int

    func check(width: Int, height: Int) throws {
        guard width <= maxDimension, height <= maxDimension else {
            throw ImageDecodingError.tooLarge(width: width, height: height, limit: maxDimension)
        }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, pixels <= maxPixels else {
            throw ImageDecodingError.tooManyPixels(width: width, height: height, limit: maxPixels)
        }
    }

    /// The most bytes a decompressed image within these limits can take: 16-bit RGB samples
    /// and a generous header.
    var maxDecodedBytes: Int { min(maxPixels, Int.max / 8) * 6 + 65536 }
}
