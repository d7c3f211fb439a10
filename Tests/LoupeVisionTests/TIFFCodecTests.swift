import CTIFF
import Testing
@testable import LoupeVision

@Suite struct TIFFCodecTests {
    static let shapes: [(samples: Int, bits: Int)] = [(1, 8), (1, 16), (3, 8), (3, 16)]

    /// Eight-bit samples as they were; sixteen-bit ones keep their high byte, as PNG's do.
    static func expected(_ page: TIFFFixture.Page) -> RasterImage {
        let pixels = page.values.map { UInt8(page.bits == 8 ? $0 : $0 >> 8) }
        return RasterImage(width: page.width, height: page.height, channels: page.samples, pixels: pixels)
    }

    @Test(arguments: shapes)
    func stripsDecodeExactly(samples: Int, bits: Int) throws {
        let page = TIFFFixture.pattern(13, 7, samples: samples, bits: bits)
        #expect(try ImageCodec.decode(TIFFFixture.file([page])) == Self.expected(page))
    }

    @Test(arguments: shapes)
    func compressedTilesDecodeExactly(samples: Int, bits: Int) throws {
        let page = TIFFFixture.pattern(37, 20, samples: samples, bits: bits)
        let file = TIFFFixture.file([page], layout: .tiles(side: 16), compression: COMPRESSION_ADOBE_DEFLATE)
        #expect(try ImageCodec.decode(file) == Self.expected(page))
    }

    @Test(arguments: [8, 16])
    func planarRGBDecodesExactly(bits: Int) throws {
        let page = TIFFFixture.pattern(9, 5, samples: 3, bits: bits)
        #expect(try ImageCodec.decode(TIFFFixture.file([page], layout: .planes)) == Self.expected(page))
    }

    @Test func jpegCompressedYCbCrTIFFDecodesToRGB() throws {
        let smooth = JPEGFixture.gradient(40, 32, channels: 3)
        let page = TIFFFixture.Page(width: 40, height: 32, samples: 3, bits: 8, values: smooth.pixels.map(Int.init))
        let decoded = try ImageCodec.decode(TIFFFixture.file([page], layout: .strips(rows: 16), compression: COMPRESSION_JPEG))
        #expect(decoded.channels == 3)
        let worst = zip(decoded.pixels, smooth.pixels).map { abs(Int($0) - Int($1)) }.max()!
        #expect(worst <= 4)
    }

    @Test func aDirectoryFirstTIFFDecodes() throws {
        let decoded = try ImageCodec.decode(TIFFFixture.directoryFirst(width: 5, height: 3))
        #expect(decoded == RasterImage(width: 5, height: 3, channels: 1, pixels: (0..<15).map { UInt8($0) }))
    }

    @Test func multiPageTIFFIsRefusedNamingThePages() throws {
        let page = TIFFFixture.pattern(4, 4, samples: 1, bits: 8)
        #expect(throws: ImageDecodingError.unsupported("multi-page TIFF (3 pages); save each page as its own file")) {
            try ImageCodec.decode(TIFFFixture.file([page, page, page]))
        }
    }

    @Test func otherSampleSizesAreRefusedNamingThem() throws {
        #expect(throws: ImageDecodingError.unsupported("TIFF with 4-bit samples; give 8 or 16 bits")) {
            try ImageCodec.decode(TIFFFixture.directoryFirst(width: 4, height: 4, bits: 4))
        }
    }
}
