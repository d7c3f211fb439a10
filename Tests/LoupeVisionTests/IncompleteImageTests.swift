import Testing
@testable import LoupeVision

/// A file cut short is `.incomplete` (its writer may still be at work); a whole file with
/// damaged bytes is `.corrupt`; no bytes at all make the decoder crash.
@Suite struct IncompleteImageTests {
    static func png() throws -> [UInt8] { try ImageCodec.encodePNG(JPEGFixture.gradient(64, 64, channels: 3)) }
    static func ppm() -> [UInt8] { Array("P6 16 16 255\n".utf8) + JPEGFixture.gradient(16, 16, channels: 3).pixels }
    static func jpeg() -> [UInt8] { JPEGFixture.encode(JPEGFixture.gradient(32, 32, channels: 3)) }
    static func tiff() -> [UInt8] { TIFFFixture.file([TIFFFixture.pattern(16, 16, samples: 3, bits: 16)]) }

    /// Cuts at the header, inside it, in the middle, and just before the end.
    static func cuts(_ file: [UInt8], header: Int) -> [Int] {
        [1, header / 2, header, file.count / 2, file.count - 12, file.count - 2, file.count - 1]
    }

    static func expectIncomplete(_ file: [UInt8], header: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        for cut in cuts(file, header: header) {
            let error = #expect(throws: ImageDecodingError.self, sourceLocation: sourceLocation) {
                try ImageCodec.decode(Array(file.prefix(cut)))
            }
            guard case .incomplete = error else {
                Issue.record("cut at \(cut) of \(file.count): \(String(describing: error))", sourceLocation: sourceLocation)
                continue
            }
        }
    }

    @Test func cutPNGIsIncomplete() throws { Self.expectIncomplete(try Self.png(), header: 33) }

    @Test func cutPNMIsIncomplete() { Self.expectIncomplete(Self.ppm(), header: 13) }

    @Test func cutGzipIsIncomplete() { Self.expectIncomplete(PNGFixture.gzip(Self.ppm()), header: 10) }

    @Test func cutJPEGIsIncomplete() { Self.expectIncomplete(Self.jpeg(), header: 20) }

    @Test func cutTIFFIsIncomplete() { Self.expectIncomplete(Self.tiff(), header: 8) }

    /// The directory is whole, the strip it points at is not.
    @Test func tiffWhoseStripRunsPastTheEndIsIncomplete() {
        let file = TIFFFixture.directoryFirst(width: 20, height: 10)
        #expect(throws: ImageDecodingError.incomplete(
            format: "TIFF", detail: "strip 0 of 200 bytes at byte 122 runs past the end (222 bytes)"
        )) {
            try ImageCodec.decode(Array(file.prefix(222)))
        }
    }

    /// The gzip stream is whole, so the short image inside it will never be completed.
    @Test func aWholeGzipOfACutImageIsCorrupt() {
        #expect(throws: ImageDecodingError.corrupt(format: "gzip", detail: "holds an incomplete P6: 10 of 768 raster bytes")) {
            try ImageCodec.decode(PNGFixture.gzip(Array(Self.ppm().prefix(23))))
        }
    }

    @Test func descriptionSaysTheFileMayStillBeWritten() {
        let png = Array(PNGFixture.file(width: 2, height: 2, bitDepth: 8, colorType: 0, raw: [0, 1, 2, 0, 3, 4]).dropLast(12))
        let error = #expect(throws: ImageDecodingError.self) { try ImageCodec.decode(png) }
        #expect(error?.description == "incomplete PNG: no IEND chunk (file may still be being written)")
    }

    static func flipped(_ file: [UInt8], at position: Int, to value: UInt8? = nil) -> [UInt8] {
        var bytes = file
        bytes[position] = value ?? bytes[position] ^ 0x5A
        return bytes
    }

    static func expectCorrupt(_ file: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let error = #expect(throws: ImageDecodingError.self, sourceLocation: sourceLocation) { try ImageCodec.decode(file) }
        guard case .corrupt = error else {
            Issue.record("\(String(describing: error))", sourceLocation: sourceLocation)
            return
        }
    }

    @Test func damagedBytesInWholeFilesAreCorrupt() throws {
        let png = try Self.png()
        Self.expectCorrupt(Self.flipped(png, at: png.count / 2))
        Self.expectCorrupt(Self.flipped(png, at: 20))
        Self.expectCorrupt(Self.flipped(Self.ppm(), at: 3, to: UInt8(ascii: "x")))
        let gzip = PNGFixture.gzip(Self.ppm())
        Self.expectCorrupt(Self.flipped(gzip, at: gzip.count - 6))
        Self.expectCorrupt(Self.flipped(gzip, at: 2))
        let jpeg = Self.jpeg()
        Self.expectCorrupt(Self.flipped(jpeg, at: 3, to: 0x00))
        Self.expectCorrupt(Self.flipped(jpeg, at: 5, to: 1))
        var tiff = Self.tiff()
        tiff.replaceSubrange(4..<8, with: [2, 0, 0, 0])
        Self.expectCorrupt(tiff)
    }

    /// Every single-byte change of every format: a refusal or an image, never a crash.
    @Test func noDamagedByteCrashesTheDecoder() throws {
        for file in [try Self.png(), Self.ppm(), PNGFixture.gzip(Self.ppm()), Self.jpeg(), Self.tiff()] {
            for position in 0..<file.count {
                _ = try? ImageCodec.decode(Self.flipped(file, at: position))
            }
        }
    }
}
