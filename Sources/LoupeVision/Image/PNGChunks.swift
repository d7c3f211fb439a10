/// Walks a PNG's chunk lengths without inflating anything, to tell a file cut short (no IEND
/// yet, or a chunk running past the end) from one that is damaged.
enum PNGChunks {
    enum Completeness: Equatable {
        case complete
        case incomplete(String)
    }

    static func completeness(of bytes: [UInt8]) throws -> Completeness {
        var position = PNGCodec.signature.count
        while position < bytes.count {
            guard bytes.count - position >= 8 else {
                return .incomplete("cut inside a chunk header at byte \(position)")
            }
            let length = bytes[position..<position + 4].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: bytes[position + 4..<position + 8], as: UTF8.self)
            // The format caps lengths at 2^31 - 1; anything longer is not a cut but damage.
            guard length < 1 << 31 else {
                throw ImageDecodingError.corrupt(format: "PNG", detail: "chunk \(type) claims \(length) bytes")
            }
            let end = position + 12 + length
            guard end <= bytes.count else {
                return .incomplete("cut inside chunk \(type) (\(bytes.count - position) of \(12 + length) bytes)")
            }
            if type == "IEND" { return .complete }
            position = end
        }
        return .incomplete("no IEND chunk")
    }
}
