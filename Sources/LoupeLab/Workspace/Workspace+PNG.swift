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
