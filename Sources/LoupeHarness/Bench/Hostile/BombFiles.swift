import CZlib
import Foundation

/// A PNG of a few dozen bytes whose header claims a huge 16-bit RGB image.
enum PNGHeaderBomb {
    static func bytes(side: UInt32, variant: Int) -> [UInt8] {
        var header: [UInt8] = []
        for value in [side, side] { header += withUnsafeBytes(of: value.bigEndian, Array.init) }
        header += [16, 2, 0, 0, 0]
        // A one-byte IDAT that differs per variant, so each bomb is its own file.
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            + chunk("IHDR", header) + chunk("IDAT", [UInt8(truncatingIfNeeded: variant)]) + chunk("IEND", [])
    }

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        let crc = UInt32(body.withUnsafeBufferPointer { crc32(0, $0.baseAddress, UInt32($0.count)) })
        return withUnsafeBytes(of: UInt32(data.count).bigEndian, Array.init) + body + withUnsafeBytes(of: crc.bigEndian, Array.init)
    }
}

/// Small gzip files that inflate to far more than any image within the limits.
enum GzipBomb {
    /// `inflatedMiB` of zeros.
    static func bytes(inflatedMiB: Int) throws -> [UInt8] {
        try deflate(prefix: [], zeros: inflatedMiB << 20)
    }

    /// A binary PPM of `side` x `side` black pixels.
    static func ppm(side: Int) throws -> [UInt8] {
        try deflate(prefix: Array("P6\n\(side) \(side)\n255\n".utf8), zeros: side * side * 3)
    }

    private static func deflate(prefix: [UInt8], zeros: Int) throws -> [UInt8] {
        var stream = z_stream()
        // 15 + 16: gzip framing.
        guard deflateInit2_(&stream, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw HarnessError("zlib would not start")
        }
        defer { deflateEnd(&stream) }
        var output: [UInt8] = []
        var out = [UInt8](repeating: 0, count: 1 << 16)
        let block = [UInt8](repeating: 0, count: 1 << 20)
        var remaining = zeros
        func feed(_ input: [UInt8], finish: Bool) {
            var input = input
            input.withUnsafeMutableBufferPointer { source in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                repeat {
                    let produced = out.withUnsafeMutableBufferPointer { buffer in
                        stream.next_out = buffer.baseAddress
                        stream.avail_out = UInt32(buffer.count)
                        _ = CZlib.deflate(&stream, finish ? Z_FINISH : Z_NO_FLUSH)
                        return buffer.count - Int(stream.avail_out)
                    }
                    output += out.prefix(produced)
                } while stream.avail_out == 0 || (finish && stream.avail_in > 0)
            }
        }
        feed(prefix, finish: false)
        while remaining > 0 {
            let count = min(remaining, block.count)
            remaining -= count
            feed(Array(block.prefix(count)), finish: remaining == 0)
        }
        return output
    }
}
