import Foundation

/// Entry point for image files: picks the decoder from the content's magic bytes, never from
/// the file name, so a PNG named `.ppm` still decodes and a text file named `.png` is refused.
public enum ImageCodec {
    public static let defaultMaxDimension = 16384

    public static func decode(_ bytes: [UInt8], maxDimension: Int = defaultMaxDimension) throws -> RasterImage {
        guard !bytes.isEmpty else { throw ImageDecodingError.empty }
        if bytes.starts(with: PNGCodec.signature) {
            return try PNGCodec.decode(bytes, maxDimension: maxDimension)
        }
        if bytes.starts(with: [0x50, 0x35]) || bytes.starts(with: [0x50, 0x36]) {
            return try NetpbmCodec.decode(bytes, maxDimension: maxDimension)
        }
        if bytes.starts(with: Gzip.magic) {
            let limit = maxDimension * maxDimension * 6 + 4096
            let inflated = try Gzip.inflate(bytes, limit: limit)
            guard !inflated.starts(with: Gzip.magic) else {
                throw ImageDecodingError.unsupported("gzip inside gzip")
            }
            return try decode(inflated, maxDimension: maxDimension)
        }
        let shown = bytes.prefix(8).map { String(format: "%02x", $0) }.joined(separator: " ")
        throw ImageDecodingError.unknownFormat(firstBytes: shown)
    }

    public static func decode(contentsOf path: String, maxDimension: Int = defaultMaxDimension) throws -> RasterImage {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try decode([UInt8](data), maxDimension: maxDimension)
    }

    public static func encodePNG(_ image: RasterImage) throws -> [UInt8] {
        try PNGCodec.encode(image)
    }
}
