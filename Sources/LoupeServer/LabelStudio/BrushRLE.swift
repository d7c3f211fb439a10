/// Label Studio's brush masks: the "rle-pack" bit stream its editor writes and
/// label-studio-converter's `brush.encode_rle` / `decode_rle` read.
///
/// The stream holds RGBA values, four per pixel. A header gives the value count (32 bits), the
/// word size less one (5 bits) and four run-length field widths less one (4 bits each). Then
/// runs: a flag bit (1: one value repeated, 0: literal values), 2 bits choosing a field width,
/// the run length less one in that width, and the value(s). The encoder is byte for byte the
/// converter's, padding included, so a mask round-trips through either side unchanged.
enum BrushRLE {
    struct Malformed: Error, Equatable, CustomStringConvertible {
        let description: String
    }

    /// The converter's choices: 8-bit words, runs of up to 8, 16, 256 and 65,536 values.
    static let wordSize = 8
    static let runSizes = [3, 4, 8, 16]

    /// One byte per value, e.g. a mask's values repeated for R, G, B and alpha.
    static func encode(_ values: [UInt8]) -> [UInt8] {
        var bits = BitWriter()
        bits.write(values.count, width: 32)
        bits.write(wordSize - 1, width: 5)
        for size in runSizes { bits.write(size - 1, width: 4) }
        var start = 0
        while start < values.count {
            let value = values[start]
            var end = start + 1
            while end < values.count, values[end] == value { end += 1 }
            writeRun(length: end - start, value: value, into: &bits)
            start = end
        }
        return bits.finished()
    }

    private static func writeRun(length: Int, value: UInt8, into bits: inout BitWriter) {
        if length == 1 {
            bits.write(0, width: 1)
            bits.write(0, width: 2)
            bits.write(0, width: 3)
        } else if length <= 8 {
            bits.write(0b100, width: 3)
            bits.write(length - 1, width: 3)
        } else if length <= 16 {
            bits.write(0b101, width: 3)
            bits.write(length - 1, width: 4)
        } else if length <= 256 {
            bits.write(0b110, width: 3)
            bits.write(length - 1, width: 8)
        } else {
            // As the converter does: whole 65,536-value runs, then the rest, all in 16-bit fields.
            var left = length
            while left > 1 << 16 {
                bits.write(0b111, width: 3)
                bits.write((1 << 16) - 1, width: 16)
                bits.write(Int(value), width: wordSize)
                left -= 1 << 16
            }
            bits.write(0b111, width: 3)
            bits.write(left - 1, width: 16)
        }
        bits.write(Int(value), width: wordSize)
    }

    /// The values of a stream that must hold exactly `expected` of them; refuses anything else
    /// before allocating for it.
    static func decode(_ bytes: [UInt8], expected: Int) throws(Malformed) -> [UInt8] {
        var bits = BitReader(bytes)
        let count = try bits.read(32, "the value count")
        guard count == expected else {
            throw Malformed(description: "the RLE holds \(count) values; this image needs \(expected) (4 per pixel)")
        }
        let word = try bits.read(5, "the word size") + 1
        guard word <= 8 else { throw Malformed(description: "the RLE's words are \(word) bits; brush values are 8 bits at most") }
        var sizes: [Int] = []
        for _ in 0..<4 { sizes.append(try bits.read(4, "the run sizes") + 1) }
        var values = [UInt8](repeating: 0, count: count)
        var i = 0
        while i < count {
            let repeated = try bits.read(1, "a run's flag") == 1
            let size = sizes[try bits.read(2, "a run's size")]
            let end = i + 1 + (try bits.read(size, "a run's length"))
            guard end <= count else {
                throw Malformed(description: "a run at value \(i) reaches value \(end), past the \(count) the RLE declares")
            }
            if repeated {
                let value = UInt8(try bits.read(word, "a run's value"))
                for k in i..<end { values[k] = value }
            } else {
                for k in i..<end { values[k] = UInt8(try bits.read(word, "a literal value")) }
            }
            i = end
        }
        return values
    }
}

private struct BitWriter {
    private var bytes: [UInt8] = []
    private var pending: UInt64 = 0
    private var pendingBits = 0

    mutating func write(_ value: Int, width: Int) {
        pending = pending << UInt64(width) | UInt64(value) & ((1 << UInt64(width)) - 1)
        pendingBits += width
        while pendingBits >= 8 {
            pendingBits -= 8
            bytes.append(UInt8(truncatingIfNeeded: pending >> UInt64(pendingBits)))
        }
    }

    /// Pads with 1 to 8 zero bits, as the converter does (a whole zero byte when already even).
    mutating func finished() -> [UInt8] {
        write(0, width: 8 - pendingBits)
        return bytes
    }
}

private struct BitReader {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func read(_ width: Int, _ what: String) throws(BrushRLE.Malformed) -> Int {
        guard position + width <= bytes.count * 8 else {
            throw BrushRLE.Malformed(description: "the RLE ends after \(bytes.count) bytes, inside \(what)")
        }
        var value = 0
        for _ in 0..<width {
            let bit = Int(bytes[position >> 3] >> (7 - UInt8(position & 7))) & 1
            value = value << 1 | bit
            position += 1
        }
        return value
    }
}
