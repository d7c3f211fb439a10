import CTIFF

extension TIFFCodec {
    /// The first page's shape from its tags, and the reading of its pixels chunk by chunk:
    /// strips are treated as tiles as wide as the image.
    struct Page {
        let width: Int
        let height: Int
        let channels: Int
        private let bytesPerSample: Int
        private let planes: Int
        private let minIsWhite: Bool

        init(_ tiff: OpaquePointer) throws {
            let width = Self.u32(tiff, TIFFTAG_IMAGEWIDTH), height = Self.u32(tiff, TIFFTAG_IMAGELENGTH)
            guard width > 0, height > 0 else {
                throw ImageDecodingError.corrupt(format: "TIFF", detail: "size \(width)x\(height)")
            }
            let bits = Self.u16(tiff, TIFFTAG_BITSPERSAMPLE)
            guard bits == 8 || bits == 16 else {
                throw ImageDecodingError.unsupported("TIFF with \(bits)-bit samples; give 8 or 16 bits")
            }
            guard Self.u16(tiff, TIFFTAG_SAMPLEFORMAT) == SAMPLEFORMAT_UINT else {
                throw ImageDecodingError.unsupported("TIFF with signed or floating-point samples; give unsigned integers")
            }
            var photometric = Self.u16(tiff, TIFFTAG_PHOTOMETRIC)
            // JPEG-compressed TIFFs store YCbCr; libtiff's JPEG codec can hand back RGB instead.
            if photometric == PHOTOMETRIC_YCBCR, Self.u16(tiff, TIFFTAG_COMPRESSION) == COMPRESSION_JPEG {
                loupe_tiff_set(tiff, UInt32(TIFFTAG_JPEGCOLORMODE), UInt32(JPEGCOLORMODE_RGB))
                photometric = UInt16(PHOTOMETRIC_RGB)
            }
            let samples = Self.u16(tiff, TIFFTAG_SAMPLESPERPIXEL)
            switch (Int32(photometric), samples) {
            case (PHOTOMETRIC_MINISBLACK, 1), (PHOTOMETRIC_MINISWHITE, 1): channels = 1
            case (PHOTOMETRIC_RGB, 3): channels = 3
            default:
                throw ImageDecodingError.unsupported(
                    "TIFF with \(samples) samples per pixel and photometric interpretation \(photometric); give gray or RGB"
                )
            }
            self.width = Int(width)
            self.height = Int(height)
            bytesPerSample = Int(bits) / 8
            planes = Self.u16(tiff, TIFFTAG_PLANARCONFIG) == PLANARCONFIG_SEPARATE ? channels : 1
            minIsWhite = Int32(photometric) == PHOTOMETRIC_MINISWHITE
        }

        /// The page's pixels; `libtiffSays` gives libtiff's reason when a chunk will not decode.
        func read(_ tiff: OpaquePointer, maxChunkBytes: Int, libtiffSays: () -> String) throws -> [UInt8] {
            let tiled = TIFFIsTiled(tiff) != 0
            let kind = tiled ? "tile" : "strip"
            let chunkWidth = tiled ? Int(Self.u32(tiff, TIFFTAG_TILEWIDTH)) : width
            let chunkHeight = tiled ? Int(Self.u32(tiff, TIFFTAG_TILELENGTH)) : min(height, Int(Self.u32(tiff, TIFFTAG_ROWSPERSTRIP)))
            let chunkBytes = Int(tiled ? TIFFTileSize(tiff) : TIFFStripSize(tiff))
            guard chunkWidth > 0, chunkHeight > 0, chunkBytes > 0, chunkBytes <= maxChunkBytes else {
                throw ImageDecodingError.corrupt(format: "TIFF", detail: "\(kind) of \(chunkWidth)x\(chunkHeight) pixels in \(chunkBytes) bytes")
            }
            let samplesPerChunk = channels / planes
            var pixels = [UInt8](repeating: 0, count: width * height * channels)
            var chunk = [UInt8](repeating: 0, count: chunkBytes)
            for plane in 0..<planes {
                for y in stride(from: 0, to: height, by: chunkHeight) {
                    for x in stride(from: 0, to: width, by: chunkWidth) {
                        let rows = min(chunkHeight, height - y), columns = min(chunkWidth, width - x)
                        let index = tiled
                            ? TIFFComputeTile(tiff, UInt32(x), UInt32(y), 0, UInt16(plane))
                            : TIFFComputeStrip(tiff, UInt32(y), UInt16(plane))
                        let got = chunk.withUnsafeMutableBytes { buffer in
                            tiled
                                ? TIFFReadEncodedTile(tiff, index, buffer.baseAddress, tmsize_t(buffer.count))
                                : TIFFReadEncodedStrip(tiff, index, buffer.baseAddress, tmsize_t(buffer.count))
                        }
                        let needed = ((rows - 1) * chunkWidth + columns) * samplesPerChunk * bytesPerSample
                        guard Int(got) >= needed else {
                            let reason = got < 0 ? libtiffSays() : "\(got) of \(needed) bytes"
                            throw ImageDecodingError.corrupt(format: "TIFF", detail: "\(kind) \(index) unreadable: \(reason)")
                        }
                        copy(chunk, rows: rows, columns: columns, stride: chunkWidth, samples: samplesPerChunk, to: &pixels, x: x, y: y, plane: plane)
                    }
                }
            }
            return pixels
        }

        private func copy(
            _ chunk: [UInt8], rows: Int, columns: Int, stride: Int, samples: Int,
            to pixels: inout [UInt8], x: Int, y: Int, plane: Int
        ) {
            // libtiff hands back 16-bit samples in the machine's byte order.
            let highByte = bytesPerSample == 2 ? (UInt16(1).littleEndian == 1 ? 1 : 0) : 0
            let invert: UInt8 = minIsWhite ? 255 : 0
            for row in 0..<rows {
                for column in 0..<columns {
                    for sample in 0..<samples {
                        let source = ((row * stride + column) * samples + sample) * bytesPerSample + highByte
                        let target = ((y + row) * width + x + column) * channels + plane + sample
                        pixels[target] = chunk[source] ^ invert
                    }
                }
            }
        }

        /// A tag's value or libtiff's default for it; a tag with neither reads as 0xFFFF, which
        /// no check accepts.
        private static func u16(_ tiff: OpaquePointer, _ tag: Int32) -> UInt16 {
            var value = UInt16.max
            loupe_tiff_get_u16(tiff, UInt32(tag), &value)
            return value
        }

        private static func u32(_ tiff: OpaquePointer, _ tag: Int32) -> UInt32 {
            var value: UInt32 = 0
            loupe_tiff_get_u32(tiff, UInt32(tag), &value)
            return value
        }
    }
}
