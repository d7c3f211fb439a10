import LoupeVision

extension Workspace {
    /// An image or mask from objects/ as PNG bytes, for a browser: PNG objects as stored,
    /// others (PNM, JPEG, TIFF, gzip) decoded and encoded again.
    package func png(ofObject sha: String) throws -> [UInt8] {
        let bytes = try objectBytes(sha)
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return bytes }
        return try ImageCodec.encodePNG(ImageCodec.decode(bytes))
    }
}

/// A binary mask as one byte a pixel, 255 on a vessel and 0 elsewhere: how masks cross into
/// formats other than image files (Label Studio's brush RLE), without the caller decoding PNG.
package struct MaskPixels: Sendable, Equatable {
    package var width: Int
    package var height: Int
    package var pixels: [UInt8]

    package init(width: Int, height: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A grey PNG, as a mask dropped into corrections/ would be.
    package func png() throws -> [UInt8] {
        try ImageCodec.encodePNG(RasterImage(width: width, height: height, channels: 1, pixels: pixels))
    }
}

extension Workspace {
    /// A stored mask (a prediction's or a correction's) as 0/255 pixels.
    package func maskPixels(ofObject sha: String) throws -> MaskPixels {
        let mask = BinaryMask(try ImageCodec.decode(objectBytes(sha))).raster
        return MaskPixels(width: mask.width, height: mask.height, pixels: mask.pixels)
    }
}
