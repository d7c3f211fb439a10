import LoupeVision

extension Workspace {
    /// An image or mask from objects/ as PNG bytes, for a browser: PNG objects as stored,
    /// others (PNM, JPEG, TIFF, gzip) decoded and encoded again.
    public func png(ofObject sha: String) throws -> [UInt8] {
        let bytes = try objectBytes(sha)
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return bytes }
        return try ImageCodec.encodePNG(ImageCodec.decode(bytes))
    }
}

/// A binary mask as one byte a pixel, 255 on a vessel and 0 elsewhere: how masks cross into
/// formats other than image files (Label Studio's brush RLE), without the caller decoding PNG.
public struct MaskPixels: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A grey PNG, as a mask dropped into corrections/ would be.
    public func png() throws -> [UInt8] {
        try ImageCodec.encodePNG(RasterImage(width: width, height: height, channels: 1, pixels: pixels))
    }
}

extension Workspace {
    /// A stored mask (a prediction's or a correction's) as 0/255 pixels.
    public func maskPixels(ofObject sha: String) throws -> MaskPixels {
        let mask = BinaryMask(try ImageCodec.decode(objectBytes(sha))).raster
        return MaskPixels(width: mask.width, height: mask.height, pixels: mask.pixels)
    }
}
