import CZlib
import Testing
@testable import LoupeVision

@Suite struct ImageCodecTests {
    static func pattern(_ width: Int, _ height: Int, _ channels: Int) -> RasterImage {
        let pixels = (0..<width * height * channels).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        return RasterImage(width: width, height: height, channels: channels, pixels: pixels)
    }

    @Test(arguments: [1, 2, 3, 4])
    func pngRoundTripKeepsEveryPixel(channels: Int) throws {
        let image = Self.pattern(13, 7, channels)
        let decoded = try ImageCodec.decode(try ImageCodec.encodePNG(image))
        #expect(decoded == image)
    }

    @Test func sixteenBitPNGKeepsTheHighByte() throws {
        let samples: [UInt16] = [0x0000, 0x1234, 0xFFFF, 0x80FF]
        var raw: [UInt8] = []
        for row in 0..<2 {
            raw.append(0)
            for s in samples[row * 2..<row * 2 + 2] { raw += [UInt8(s >> 8), UInt8(s & 0xFF)] }
        }
        let png = PNGFixture.file(width: 2, height: 2, bitDepth: 16, colorType: 0, raw: raw)
        let decoded = try ImageCodec.decode(png)
        #expect(decoded.channels == 1)
        #expect(decoded.pixels == [0x00, 0x12, 0xFF, 0x80])
    }

    @Test func pgmAndPpmWithCommentsDecode() throws {
        let gray = Array("P5\n# made by a test\n3 2\n255\n".utf8) + [0, 1, 2, 250, 251, 255]
        #expect(try ImageCodec.decode(gray) == RasterImage(width: 3, height: 2, channels: 1, pixels: [0, 1, 2, 250, 251, 255]))
        let color = Array("P6 1 2 255 ".utf8) + [1, 2, 3, 4, 5, 6]
        #expect(try ImageCodec.decode(color) == RasterImage(width: 1, height: 2, channels: 3, pixels: [1, 2, 3, 4, 5, 6]))
    }

    @Test func sixteenBitPgmScalesToEightBits() throws {
        let bytes = Array("P5 2 1 65535\n".utf8) + [0xFF, 0xFF, 0x80, 0x00]
        #expect(try ImageCodec.decode(bytes).pixels == [255, 128])
    }

    @Test func gzippedPpmDecodes() throws {
        let ppm = Array("P6 2 1 255\n".utf8) + [10, 20, 30, 40, 50, 60]
        let decoded = try ImageCodec.decode(PNGFixture.gzip(ppm))
        #expect(decoded.pixels == [10, 20, 30, 40, 50, 60])
    }

    @Test func emptyFileIsRefused() {
        #expect(throws: ImageDecodingError.empty) { try ImageCodec.decode([]) }
    }

    @Test func unknownBytesAreRefusedNamingThem() {
        #expect(throws: ImageDecodingError.unknownFormat(firstBytes: "68 65 6c 6c 6f")) {
            try ImageCodec.decode(Array("hello".utf8))
        }
    }

    @Test func hugeHeaderIsRefusedBeforeAnyAllocation() {
        let png = PNGFixture.file(width: 60000, height: 60000, bitDepth: 8, colorType: 2, raw: [0, 0, 0, 0])
        #expect(throws: ImageDecodingError.tooLarge(width: 60000, height: 60000, limit: 16384)) {
            try ImageCodec.decode(png)
        }
        #expect(throws: ImageDecodingError.tooLarge(width: 60000, height: 60000, limit: 16384)) {
            try ImageCodec.decode(Array("P6 60000 60000 255\n".utf8))
        }
    }

    @Test func aShortRasterIsIncomplete() {
        let bytes = Array("P5 4 4 255\n".utf8) + [1, 2, 3]
        #expect(throws: ImageDecodingError.incomplete(format: "P5", detail: "3 of 16 raster bytes")) {
            try ImageCodec.decode(bytes)
        }
    }
}

/// Builds PNG and gzip files byte by byte, for the cases the encoder cannot produce.
enum PNGFixture {
    static func file(width: Int, height: Int, bitDepth: UInt8, colorType: UInt8, raw: [UInt8]) -> [UInt8] {
        var header: [UInt8] = []
        header += bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        header += [bitDepth, colorType, 0, 0, 0]
        return PNGCodec.signature + chunk("IHDR", header) + chunk("IDAT", deflate(raw)) + chunk("IEND", [])
    }

    static func gzip(_ bytes: [UInt8]) -> [UInt8] { compress(bytes, windowBits: 31) }

    private static func deflate(_ bytes: [UInt8]) -> [UInt8] { compress(bytes, windowBits: 15) }

    private static func compress(_ bytes: [UInt8], windowBits: Int32) -> [UInt8] {
        var stream = z_stream()
        deflateInit2_(&stream, 6, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        var input = bytes
        var output = [UInt8](repeating: 0, count: bytes.count + 256)
        let produced = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                CZlib.deflate(&stream, Z_FINISH)
                return target.count - Int(stream.avail_out)
            }
        }
        deflateEnd(&stream)
        return Array(output.prefix(produced))
    }

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        let crc = body.withUnsafeBufferPointer { crc32(0, $0.baseAddress, UInt32($0.count)) }
        return bigEndian(UInt32(data.count)) + body + bigEndian(UInt32(crc))
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
