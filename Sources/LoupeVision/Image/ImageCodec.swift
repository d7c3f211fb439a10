import Foundation

/// Entry point for image files: picks the decoder from the content's magic bytes, never from
/// the file name, so a PNG named `.ppm` still decodes and a text file named `.png` is refused.
public enum ImageCodec {
    public static let defaultMaxDimension = 16384
    public static let defaultMaxPixels = 100_000_000

    /// Decodes PNG, JPEG, TIFF, PGM/PPM or a gzip of one. Sizes are checked against the header
    /// before pixels are allocated: each side at most `maxDimension`, and at most `maxPixels`
    /// in all. A file that is a valid beginning cut short throws `.incomplete`.
    public static func decode(
        _ bytes: [UInt8], maxDimension: Int = defaultMaxDimension, maxPixels: Int = defaultMaxPixels
    ) throws -> RasterImage {
        try decode(bytes, limits: ImageLimits(maxDimension: maxDimension, maxPixels: maxPixels), insideGzip: false)
    }

    public static func decode(
        contentsOf path: String, maxDimension: Int = defaultMaxDimension, maxPixels: Int = defaultMaxPixels
    ) throws -> RasterImage {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try decode([UInt8](data), maxDimension: maxDimension, maxPixels: maxPixels)
    }

    public static func encodePNG(_ image: RasterImage) throws -> [UInt8] {
        try PNGCodec.encode(image)
    }

    private static func decode(_ bytes: [UInt8], limits: ImageLimits, insideGzip: Bool) throws -> RasterImage {
        guard !bytes.isEmpty else { throw ImageDecodingError.empty }
        switch ImageFormat(magic: bytes) {
        case .png:
            return try PNGCodec.decode(bytes, limits: limits)
        case .jpeg:
            return try JPEGCodec.decode(bytes, limits: limits)
        case .tiff:
            return try TIFFCodec.decode(bytes, limits: limits)
        case .netpbm:
            return try NetpbmCodec.decode(bytes, limits: limits)
        case .gzip:
            guard !insideGzip else { throw ImageDecodingError.unsupported("gzip inside gzip") }
            let inflated = try Gzip.inflate(bytes, limit: limits.maxDecodedBytes) { head in
                try checkHead(head, limits: limits)
            }
            do {
                return try decode(inflated, limits: limits, insideGzip: true)
            } catch ImageDecodingError.incomplete(let format, let detail) {
                // The gzip stream is whole, so what it holds will never grow.
                throw ImageDecodingError.corrupt(format: "gzip", detail: "holds an incomplete \(format): \(detail)")
            }
        case .cutSignature(let format):
            throw ImageDecodingError.incomplete(format: format, detail: "only \(bytes.count) bytes, the start of its signature")
        case nil:
            throw ImageDecodingError.unknownFormat(firstBytes: firstBytes(bytes))
        }
    }
}

extension ImageCodec {
    /// Refuses what a gzip stream holds from its first kilobytes, before the rest is inflated:
    /// content that is no image, or a PNM header over the limits. For a PNM, returns the bytes
    /// it needs, so a bomb behind a small header is cut off at that size.
    private static func checkHead(_ head: [UInt8], limits: ImageLimits) throws -> Int? {
        guard let format = ImageFormat(magic: head) else {
            throw ImageDecodingError.unknownFormat(firstBytes: firstBytes(head))
        }
        guard format == .netpbm, let header = try? NetpbmCodec.header(head) else { return nil }
        try limits.check(width: header.width, height: header.height)
        let raster = header.width * header.height * header.channels * (header.maxValue > 255 ? 2 : 1)
        // Some writers end the file with a newline or a comment; a few kilobytes more are harmless.
        return header.rasterStart + raster + 4096
    }

    private static func firstBytes(_ bytes: [UInt8]) -> String {
        bytes.prefix(8).map { String(format: "%02x", $0) }.joined(separator: " ")
    }

    /// Whether the bytes are a JPEG file, which a mask must not be: its compression blurs edges.
    public static func isJPEG(_ bytes: [UInt8]) -> Bool {
        ImageFormat(magic: bytes) == .jpeg
    }
}
