import CTurboJPEG

/// JPEG through libjpeg-turbo's TurboJPEG API, which reports errors by return value instead
/// of longjmp (which Swift cannot survive). Gray files decode to one channel, all others to RGB.
enum JPEGCodec {
    static let signature: [UInt8] = [0xFF, 0xD8, 0xFF]

    static func decode(_ bytes: [UInt8], limits: ImageLimits) throws -> RasterImage {
        let missingEnd = try JPEGMarkers.missingEnd(of: bytes)
        guard let decompressor = tjInitDecompress() else {
            throw ImageDecodingError.corrupt(format: "JPEG", detail: "libjpeg-turbo would not start")
        }
        defer { tjDestroy(decompressor) }
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
        let read = bytes.withUnsafeBufferPointer {
            tjDecompressHeader3(decompressor, $0.baseAddress, UInt(($0.count)), &width, &height, &subsampling, &colorspace)
        }
        guard read == 0, width > 0, height > 0 else {
            if let missingEnd { throw ImageDecodingError.incomplete(format: "JPEG", detail: missingEnd) }
            throw corrupt(decompressor)
        }
        try limits.check(width: Int(width), height: Int(height))
        if let missingEnd { throw ImageDecodingError.incomplete(format: "JPEG", detail: missingEnd) }
        guard colorspace != TJCS_CMYK.rawValue, colorspace != TJCS_YCCK.rawValue else {
            throw ImageDecodingError.unsupported("CMYK JPEG; save it as RGB")
        }

        let gray = colorspace == TJCS_GRAY.rawValue
        let channels = gray ? 1 : 3
        var pixels = [UInt8](repeating: 0, count: Int(width) * Int(height) * channels)
        // Warnings count as failures: libjpeg-turbo warns about damaged data it papered over.
        // LIMITSCANS refuses progressive files with thousands of scans, a known way to burn CPU.
        let flags = TJFLAG_ACCURATEDCT | TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS
        let done = bytes.withUnsafeBufferPointer { source in
            pixels.withUnsafeMutableBufferPointer { target in
                tjDecompress2(
                    decompressor, source.baseAddress, UInt(source.count), target.baseAddress,
                    width, 0, height, (gray ? TJPF_GRAY : TJPF_RGB).rawValue, flags
                )
            }
        }
        guard done == 0 else { throw corrupt(decompressor) }
        return RasterImage(width: Int(width), height: Int(height), channels: channels, pixels: pixels)
    }

    private static func corrupt(_ handle: tjhandle) -> ImageDecodingError {
        .corrupt(format: "JPEG", detail: String(cString: tjGetErrorStr2(handle)))
    }
}
