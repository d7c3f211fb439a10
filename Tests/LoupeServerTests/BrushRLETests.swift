import Foundation
import LoupeLab
import Testing
@testable import LoupeServer

/// The brush RLE against vectors label-studio-converter 0.0.59 wrote (tests/label-studio/rle_fixtures.py).
@Suite struct BrushRLETests {
    struct Vector: Decodable {
        let width: Int
        let height: Int
        let bits: String
        let rle: [UInt8]

        /// The mask, 255 on, from bits packed row by row with the first pixel in the high bit.
        var mask: [UInt8] {
            let packed = [UInt8](Data(base64Encoded: bits)!)
            return (0..<width * height).map { i in packed[i >> 3] >> (7 - UInt8(i & 7)) & 1 == 1 ? 255 : 0 }
        }

        var values: [UInt8] { mask.flatMap { [$0, $0, $0, $0] } }
    }

    static let vectors: [Vector] = {
        struct File: Decodable { let vectors: [Vector] }
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/brush-rle.json")
        return try! JSONDecoder().decode(File.self, from: Data(contentsOf: path)).vectors
    }()

    @Test func encodesEveryMaskByteForByteAsTheConverter() {
        #expect(Self.vectors.count == 45)
        for (index, vector) in Self.vectors.enumerated() {
            #expect(BrushRLE.encode(vector.values) == vector.rle, "vector \(index), \(vector.width)x\(vector.height)")
        }
    }

    @Test func decodesEveryConverterRLEToItsMask() throws {
        for (index, vector) in Self.vectors.enumerated() {
            let values = try BrushRLE.decode(vector.rle, expected: vector.width * vector.height * 4)
            #expect(values == vector.values, "vector \(index)")
        }
    }

    @Test func aFullMaskSpansSeveralLongestRunsAndRoundTrips() throws {
        let full = Self.vectors.first { $0.width == 300 }!
        #expect(full.values.count == 360_000)
        #expect(full.rle.count < 40, "360,000 equal values take six 16-bit runs, not one per value")
        #expect(try BrushRLE.decode(BrushRLE.encode(full.values), expected: 360_000) == full.values)
    }

    @Test func literalRunsFromOtherEncodersDecode() throws {
        // Header: 5 values, 8-bit words, run sizes 3,4,8,16; then one literal run of 5 values.
        var bits = String(5, radix: 2).leftPadded(32) + "00111" + "0010" + "0011" + "0111" + "1111"
        bits += "0" + "00" + "100" + [1, 2, 3, 4, 250].map { String($0, radix: 2).leftPadded(8) }.joined()
        #expect(try BrushRLE.decode(bytes(bits), expected: 5) == [1, 2, 3, 4, 250])
    }

    @Test(arguments: [
        ([UInt8](), "the RLE ends after 0 bytes, inside the value count"),
        ([0, 0, 0, 8], "the RLE holds 8 values; this image needs 4 (4 per pixel)"),
        ([0, 0, 0, 4], "the RLE ends after 4 bytes, inside the word size"),
        ([0, 0, 0, 4, 0x38], "the RLE ends after 5 bytes, inside the run sizes"),
        ([0, 0, 0, 4, 0xF8, 0, 0, 0], "the RLE's words are 32 bits; brush values are 8 bits at most"),
    ])
    func malformedStreamsAreRefusedByName(bytes: [UInt8], message: String) {
        #expect(throws: BrushRLE.Malformed(description: message)) { try BrushRLE.decode(bytes, expected: 4) }
    }

    @Test func aRunPastTheDeclaredCountOrACutStreamIsRefused() {
        let good = BrushRLE.encode([UInt8](repeating: 255, count: 16))
        #expect(throws: BrushRLE.Malformed.self) { try BrushRLE.decode(Array(good.dropLast(2)), expected: 16) }
        // The same runs under a header declaring 8 values: the first run reaches past it.
        var short = good
        short[3] = 8
        #expect(throws: BrushRLE.Malformed(description: "a run at value 0 reaches value 16, past the 8 the RLE declares")) {
            try BrushRLE.decode(short, expected: 8)
        }
    }

    @Test func everyTruncationOfEveryVectorIsRefusedNotCrashed() {
        for vector in Self.vectors.prefix(12) {
            for cut in 0..<vector.rle.count - 1 {
                // The converter pads with a whole byte when the bits end evenly: one byte less still decodes.
                _ = try? BrushRLE.decode(Array(vector.rle.prefix(cut)), expected: vector.width * vector.height * 4)
            }
        }
        let vector = Self.vectors[10]
        #expect(throws: BrushRLE.Malformed.self) { try BrushRLE.decode(Array(vector.rle.prefix(vector.rle.count / 2)), expected: vector.width * vector.height * 4) }
    }

    private func bytes(_ bits: String) -> [UInt8] {
        let padded = bits + String(repeating: "0", count: (8 - bits.count % 8) % 8)
        return stride(from: 0, to: padded.count, by: 8).map { start in
            let from = padded.index(padded.startIndex, offsetBy: start)
            return UInt8(padded[from..<padded.index(from, offsetBy: 8)], radix: 2)!
        }
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
