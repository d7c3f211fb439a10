import CPNG

/// PNG through libpng's simplified API, which reports errors by return value instead of
/// longjmp (which Swift cannot survive).
enum PNGCodec {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    static func decode(_ bytes: [UInt8], limits: ImageLimits) throws -> RasterImage {
        let completeness = try PNGChunks.completeness(of: bytes)
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        defer { png_image_free(&image) }
        let begun = bytes.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        if case .incomplete(let detail) = completeness, begun == 0 {
            throw ImageDecodingError.incomplete(format: "PNG", detail: detail)
        }
        guard begun != 0 else { throw corrupt(image) }

        let width = Int(image.width), height = Int(image.height)
        try limits.check(width: width, height: height)
        if case .incomplete(let detail) = completeness {
            throw ImageDecodingError.incomplete(format: "PNG", detail: detail)
        }
        let hasColor = image.format & UInt32(PNG_FORMAT_FLAG_COLOR) != 0
        let hasAlpha = image.format & UInt32(PNG_FORMAT_FLAG_ALPHA) != 0
        let channels = (hasColor ? 3 : 1) + (hasAlpha ? 1 : 0)
        // Sixteen-bit sources are read as-is (linear) and cut to their high byte; asking libpng
        // for 8 bits would apply an sRGB curve and change the values.
        let sixteenBit = image.format & UInt32(PNG_FORMAT_FLAG_LINEAR) != 0 && !hasAlpha
        image.format = (hasColor ? UInt32(PNG_FORMAT_FLAG_COLOR) : 0)
            | (hasAlpha ? UInt32(PNG_FORMAT_FLAG_ALPHA) : 0)
            | (sixteenBit ? UInt32(PNG_FORMAT_FLAG_LINEAR) : 0)

        let samples = width * height * channels
        if sixteenBit {
            var wide = [UInt16](repeating: 0, count: samples)
            let done = wide.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
            guard done != 0 else { throw corrupt(image) }
            return RasterImage(width: width, height: height, channels: channels, pixels: wide.map { UInt8($0 >> 8) })
        }
        var pixels = [UInt8](repeating: 0, count: samples)
        let done = pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        guard done != 0 else { throw corrupt(image) }
        return RasterImage(width: width, height: height, channels: channels, pixels: pixels)
    }

    static func encode(_ raster: RasterImage) throws -> [UInt8] {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(raster.width)
        image.height = UInt32(raster.height)
        image.format = (raster.channels >= 3 ? UInt32(PNG_FORMAT_FLAG_COLOR) : 0)
            | (raster.channels % 2 == 0 ? UInt32(PNG_FORMAT_FLAG_ALPHA) : 0)
        defer { png_image_free(&image) }
        var size = 0
        let sized = raster.pixels.withUnsafeBytes {
            png_image_write_to_memory(&image, nil, &size, 0, $0.baseAddress, 0, nil)
        }
        guard sized != 0 else { throw corrupt(image) }
        var out = [UInt8](repeating: 0, count: size)
        let written = raster.pixels.withUnsafeBytes { pixels in
            out.withUnsafeMutableBytes { png_image_write_to_memory(&image, $0.baseAddress, &size, 0, pixels.baseAddress, 0, nil) }
        }
        guard written != 0 else { throw corrupt(image) }
        return Array(out.prefix(size))
    }

    private static func corrupt(_ image: png_image) -> ImageDecodingError {
        var message = image.message
        let text = withUnsafeBytes(of: &message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return .corrupt(format: "PNG", detail: text.isEmpty ? "libpng gave no reason" : text)
    }
}
