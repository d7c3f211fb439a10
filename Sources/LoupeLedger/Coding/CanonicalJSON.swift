import Foundation

/// Canonical JSON for event payloads, written straight to bytes: object keys sorted, no
/// whitespace, slashes unescaped, integral doubles without ".0". For the payload structs it
/// writes exactly what `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]` writes
/// (CanonicalJSONCodingTests checks every event type), at a fraction of the cost.
///
/// Values the fast path does not model (nested containers, `superEncoder`, Date, Data, URL,
/// Decimal) make `encode` throw `CanonicalJSON.Unsupported`; callers fall back to JSONEncoder.
enum CanonicalJSON {
    struct Unsupported: Error {}

    /// Appends the canonical JSON of `value` to `out`.
    static func encode<T: Encodable>(_ value: T, into out: inout [UInt8]) throws {
        let writer = JSONByteWriter()
        swap(&writer.bytes, &out)
        defer { swap(&writer.bytes, &out) }
        let start = writer.bytes.count
        do {
            try writer.encodeValue(value)
        } catch {
            writer.bytes.removeSubrange(start...)
            throw error
        }
        if writer.unsupported {
            writer.bytes.removeSubrange(start...)
            throw Unsupported()
        }
    }

    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        try encode(value, into: &out)
        return out
    }
}

/// Decodes JSON from bytes into Decodable values without an intermediate tree: an object is
/// scanned once for its members' key and value offsets, and each `decode(forKey:)` parses its
/// value in place. Strict (it reads what the encoder writes and ordinary JSON); anything it
/// does not model throws, and callers fall back to JSONDecoder for the real error or value.
enum CanonicalJSONDecoding {
    static func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
        let reader = JSONByteReader(bytes)
        var position = reader.skipWhitespace(0)
        let value = try reader.decodeValue(T.self, at: position)
        position = try reader.skipValue(position)
        guard reader.skipWhitespace(position) == reader.count else { throw reader.malformed(position) }
        return value
    }
}

struct CanonicalJSONMalformed: Error, CustomStringConvertible {
    var offset: Int
    var description: String { "malformed or unsupported JSON at byte \(offset)" }
}
