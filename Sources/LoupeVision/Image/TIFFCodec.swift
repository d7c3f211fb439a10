import CTIFF

/// TIFF through libtiff, read from memory: one page, 8 or 16 bits, gray or RGB, in strips or
/// tiles, interleaved or in planes, with any compression libtiff knows. Sixteen-bit samples
/// keep their high byte, as PNG's do.
enum TIFFCodec {
    static func decode(_ bytes: [UInt8], limits: ImageLimits) throws -> RasterImage {
        let missingEnd = try TIFFLayout.missingEnd(of: bytes)
        var message = [CChar](repeating: 0, count: Int(LOUPE_TIFF_MESSAGE_SIZE))
        return try message.withUnsafeMutableBufferPointer { message in
            guard let options = loupe_tiff_options(message.baseAddress, tmsize_t(limits.maxDecodedBytes)) else {
                throw ImageDecodingError.corrupt(format: "TIFF", detail: "libtiff would not start")
            }
            defer { TIFFOpenOptionsFree(options) }
            return try bytes.withUnsafeBufferPointer { source in
                guard let tiff = TIFFMemoryFile.open(source, options: options) else {
                    if let missingEnd { throw ImageDecodingError.incomplete(format: "TIFF", detail: missingEnd) }
                    throw corrupt(message)
                }
                defer { TIFFClose(tiff) }
                let page = try Page(tiff)
                try limits.check(width: page.width, height: page.height)
                if let missingEnd { throw ImageDecodingError.incomplete(format: "TIFF", detail: missingEnd) }
                let pages = TIFFNumberOfDirectories(tiff)
                guard pages == 1 else {
                    throw ImageDecodingError.unsupported("multi-page TIFF (\(pages) pages); save each page as its own file")
                }
                let pixels = try page.read(tiff, maxChunkBytes: limits.maxDecodedBytes) { reason(message) }
                return RasterImage(width: page.width, height: page.height, channels: page.channels, pixels: pixels)
            }
        }
    }

    private static func corrupt(_ message: UnsafeMutableBufferPointer<CChar>) -> ImageDecodingError {
        .corrupt(format: "TIFF", detail: reason(message))
    }

    private static func reason(_ message: UnsafeMutableBufferPointer<CChar>) -> String {
        let text = String(cString: message.baseAddress!)
        return text.isEmpty ? "libtiff gave no reason" : text
    }
}
