import CZlib

/// Inflates `.ppm.gz` / `.pgm.gz` (and any gzip- or zlib-wrapped image) in 64 KB steps with a
/// ceiling on the output, so a small bomb is refused as soon as it passes the ceiling instead of
/// claiming gigabytes first.
enum Gzip {
    static let magic: [UInt8] = [0x1F, 0x8B]
    private static let headSize = 4096

    /// `inspect` sees the first few kilobytes once, so a header inside can be checked before
    /// the rest is inflated; when it returns the size the content needs, that becomes the
    /// ceiling if lower.
    static func inflate(_ compressed: [UInt8], limit: Int, inspect: ([UInt8]) throws -> Int?) throws -> [UInt8] {
        // zlib counts input in 32 bits; no image within a budget needs a larger compressed file.
        guard compressed.count <= UInt32.max else {
            throw ImageDecodingError.unsupported("gzip file of \(compressed.count) bytes, over 4 GB")
        }
        var stream = z_stream()
        // 15 + 32: the largest window, with gzip or zlib headers detected automatically.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ImageDecodingError.corrupt(format: "gzip", detail: "zlib would not start")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var status: Int32 = Z_OK
        var limit = limit
        try compressed.withUnsafeBufferPointer { source in
            // zlib only reads through next_in; it is declared mutable for old compilers' sake.
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = UInt32(source.count)
            while status != Z_STREAM_END {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(buffer.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return buffer.count - Int(stream.avail_out)
                }
                // Checked before appending, so the array never grows past the ceiling.
                guard output.count + produced <= limit else {
                    throw ImageDecodingError.unsupported("gzip content over \(limit) bytes, more than the image inside can need")
                }
                let before = output.count
                output.append(contentsOf: chunk.prefix(produced))
                if before < headSize, output.count >= headSize, let needed = try inspect(output) {
                    limit = min(limit, needed)
                    output.reserveCapacity(limit)
                }
                switch status {
                case Z_OK, Z_STREAM_END:
                    continue
                case Z_BUF_ERROR where stream.avail_in == 0:
                    throw ImageDecodingError.incomplete(format: "gzip", detail: "stream ends before its trailer")
                default:
                    throw ImageDecodingError.corrupt(format: "gzip", detail: "inflate error \(status)")
                }
            }
        }
        return output
    }
}
