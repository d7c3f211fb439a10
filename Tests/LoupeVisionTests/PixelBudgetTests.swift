import CZlib
import Testing
@testable import LoupeVision

/// Every format's header is held to the pixel budget before its pixels are allocated.
@Suite struct PixelBudgetTests {
    /// The hostile file from issue 9: 69 bytes claiming 16384x16384 16-bit RGB (1.6 GB).
    @Test func aTinyPNGClaimingGigabytesIsRefusedByItsHeader() {
        let png = PNGFixture.file(width: 16384, height: 16384, bitDepth: 16, colorType: 2, raw: [0, 0, 0, 0])
        #expect(png.count < 80)
        #expect(throws: ImageDecodingError.tooManyPixels(width: 16384, height: 16384, limit: 100_000_000)) {
            try ImageCodec.decode(png)
        }
    }

    @Test func eachFormatsHeaderIsHeldToTheBudget() throws {
        let small = JPEGFixture.gradient(10, 10, channels: 3)
        let files: [(String, [UInt8])] = [
            ("PNG", try ImageCodec.encodePNG(small)),
            ("PPM", Array("P6 10 10 255\n".utf8) + small.pixels),
            ("gzip", PNGFixture.gzip(Array("P6 10 10 255\n".utf8) + small.pixels)),
            ("JPEG", JPEGFixture.encode(small)),
            ("TIFF", TIFFFixture.file([TIFFFixture.pattern(10, 10, samples: 3, bits: 8)])),
        ]
        for (format, file) in files {
            #expect(throws: ImageDecodingError.tooManyPixels(width: 10, height: 10, limit: 99), "\(format)") {
                try ImageCodec.decode(file, maxPixels: 99)
            }
            #expect(try ImageCodec.decode(file, maxPixels: 100).width == 10, "\(format)")
        }
    }

    /// Headers alone, with none of the pixels they claim: refused as too large, not waited for
    /// as incomplete.
    @Test func hugeClaimsWithoutDataAreRefusedAtOnce() {
        #expect(throws: ImageDecodingError.tooManyPixels(width: 16000, height: 16000, limit: 100_000_000)) {
            try ImageCodec.decode(Array("P6 16000 16000 255\n".utf8))
        }
        #expect(throws: ImageDecodingError.tooManyPixels(width: 12000, height: 12000, limit: 100_000_000)) {
            try ImageCodec.decode(TIFFFixture.directoryFirst(width: 12000, height: 12000, withStrip: false))
        }
        var jpeg = JPEGFixture.encode(JPEGFixture.gradient(8, 8, channels: 1))
        let frame = (0..<jpeg.count - 1).first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xC0 }!
        jpeg.replaceSubrange(frame + 5..<frame + 9, with: [0x3E, 0x80, 0x3E, 0x80])
        #expect(throws: ImageDecodingError.tooManyPixels(width: 16000, height: 16000, limit: 100_000_000)) {
            try ImageCodec.decode(jpeg)
        }
    }

    /// 200 MB of zeros behind a 1-megapixel PGM header, gzipped to a few hundred kilobytes:
    /// cut off once the inflated bytes pass what that header needs.
    @Test func aGzipBombBehindASmallHeaderIsCutOffAtTheImagesSize() throws {
        let bomb = Self.gzip(header: Array("P5 1000 1000 255\n".utf8), zeros: 200 << 20)
        #expect(bomb.count < 1 << 20)
        let error = #expect(throws: ImageDecodingError.self) { try ImageCodec.decode(bomb) }
        #expect(error == .unsupported("gzip content over 1004113 bytes, more than the image inside can need"))
    }

    /// A format whose size the head does not tell is cut off at what the pixel budget allows.
    @Test func aGzipBombBehindAPNGSignatureIsCutOffByTheBudget() throws {
        let bomb = Self.gzip(header: PNGCodec.signature, zeros: 16 << 20)
        let error = #expect(throws: ImageDecodingError.self) { try ImageCodec.decode(bomb, maxPixels: 1_000_000) }
        #expect(error == .unsupported("gzip content over 6065536 bytes, more than the image inside can need"))
    }

    @Test func aGzipOfNoImageIsRefusedFromItsFirstKilobytes() throws {
        let bomb = Self.gzip(header: [], zeros: 16 << 20)
        #expect(throws: ImageDecodingError.unknownFormat(firstBytes: "00 00 00 00 00 00 00 00")) {
            try ImageCodec.decode(bomb)
        }
    }

    /// The header inside is checked after the first few kilobytes, not after the raster.
    @Test func aGzippedHeaderIsHeldToTheBudgetBeforeItsRasterIsInflated() {
        let file = Self.gzip(header: Array("P6 16000 16000 255\n".utf8), zeros: 8 << 20)
        #expect(throws: ImageDecodingError.tooManyPixels(width: 16000, height: 16000, limit: 100_000_000)) {
            try ImageCodec.decode(file)
        }
    }

    /// Streams the zeros through deflate a megabyte at a time, so the test never holds them.
    private static func gzip(header: [UInt8], zeros: Int) -> [UInt8] {
        var stream = z_stream()
        deflateInit2_(&stream, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        defer { deflateEnd(&stream) }
        let inputs = [header] + Array(repeating: [UInt8](repeating: 0, count: 1 << 20), count: zeros >> 20)
        var output = [UInt8](repeating: 0, count: 4 << 20)
        var written = 0
        output.withUnsafeMutableBufferPointer { target in
            for (index, input) in inputs.enumerated() {
                input.withUnsafeBufferPointer { source in
                    stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                    stream.avail_in = UInt32(source.count)
                    stream.next_out = target.baseAddress! + written
                    stream.avail_out = UInt32(target.count - written)
                    CZlib.deflate(&stream, index == inputs.count - 1 ? Z_FINISH : Z_NO_FLUSH)
                    precondition(stream.avail_in == 0 && stream.avail_out > 0, "the bomb outgrew its buffer")
                    written = target.count - Int(stream.avail_out)
                }
            }
        }
        return Array(output.prefix(written))
    }
}
