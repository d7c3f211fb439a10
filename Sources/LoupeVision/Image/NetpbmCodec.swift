/// Binary PGM (P5) and PPM (P6), the formats STARE was first published in.
enum NetpbmCodec {
    struct Header {
        let magic: String
        let channels: Int
        let width: Int
        let height: Int
        let maxValue: Int
        /// Where the raster begins: exactly one whitespace byte follows the maxval.
        let rasterStart: Int
    }

    static func header(_ bytes: [UInt8]) throws -> Header {
        var reader = HeaderReader(bytes: bytes)
        let magic = try reader.token()
        let width = try reader.number(named: "width")
        let height = try reader.number(named: "height")
        let maxValue = try reader.number(named: "maxval")
        guard width > 0, height > 0 else {
            throw ImageDecodingError.corrupt(format: magic, detail: "size \(width)x\(height)")
        }
        return Header(
            magic: magic, channels: magic == "P5" ? 1 : 3, width: width, height: height,
            maxValue: maxValue, rasterStart: reader.position + 1
        )
    }

    static func decode(_ bytes: [UInt8], limits: ImageLimits) throws -> RasterImage {
        let header = try header(bytes)
        let (magic, width, height, maxValue, start) = (header.magic, header.width, header.height, header.maxValue, header.rasterStart)
        try limits.check(width: width, height: height)
        guard (1...65535).contains(maxValue) else {
            throw ImageDecodingError.corrupt(format: magic, detail: "maxval \(maxValue) outside 1...65535")
        }
        let bytesPerSample = maxValue > 255 ? 2 : 1
        let samples = width * height * header.channels
        let available = bytes.count - start
        guard available >= samples * bytesPerSample else {
            throw ImageDecodingError.incomplete(
                format: magic,
                detail: "\(max(available, 0)) of \(samples * bytesPerSample) raster bytes"
            )
        }
        var pixels = [UInt8](repeating: 0, count: samples)
        bytes.withUnsafeBufferPointer { source in
            for i in 0..<samples {
                let value = bytesPerSample == 1
                    ? Int(source[start &+ i])
                    : Int(source[start &+ 2 &* i]) << 8 | Int(source[start &+ 2 &* i &+ 1])
                pixels[i] = maxValue == 255 ? UInt8(value) : UInt8(min(255, (value * 255 + maxValue / 2) / maxValue))
            }
        }
        return RasterImage(width: width, height: height, channels: header.channels, pixels: pixels)
    }

    private struct HeaderReader {
        let bytes: [UInt8]
        var position = 0

        mutating func token() throws -> String {
            skipSpaceAndComments()
            let start = position
            while position < bytes.count, !Self.isSpace(bytes[position]) { position += 1 }
            // A header that runs to the end of the file may be one still being written.
            guard position < bytes.count else {
                throw ImageDecodingError.incomplete(format: "PNM", detail: "header cut after \(bytes.count) bytes")
            }
            guard position - start < 16 else {
                throw ImageDecodingError.corrupt(format: "PNM", detail: "header token of \(position - start) bytes")
            }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }

        mutating func number(named name: String) throws -> Int {
            let text = try token()
            guard let value = Int(text) else {
                throw ImageDecodingError.corrupt(format: "PNM", detail: "\(name) is '\(text)', not a number")
            }
            return value
        }

        private mutating func skipSpaceAndComments() {
            while position < bytes.count {
                if Self.isSpace(bytes[position]) {
                    position += 1
                } else if bytes[position] == UInt8(ascii: "#") {
                    while position < bytes.count, bytes[position] != UInt8(ascii: "\n") { position += 1 }
                } else {
                    return
                }
            }
        }

        private static func isSpace(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
        }
    }
}
