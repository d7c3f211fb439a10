import Crypto

/// hash = SHA-256(prev_hash || canonical row). The canonical row is every stored field
/// but the hashes, each as a little-endian 64-bit length then its UTF-8 bytes, so no choice
/// of field contents can make two different rows encode alike.
public struct ChainHasher {
    public static let genesis = [UInt8](repeating: 0, count: 32)
    private var buffer: [UInt8] = []

    public init() { buffer.reserveCapacity(1024) }

    public mutating func hash(prev: [UInt8], row: EventRow) -> [UInt8] {
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: prev)
        appendField(String(row.seq))
        appendField(row.stream)
        appendField(String(row.version))
        appendField(row.eventID)
        appendField(row.type)
        appendField(String(row.schema))
        appendField(row.payload)
        appendField(row.at)
        return Array(SHA256.hash(data: buffer))
    }

    private mutating func appendField(_ field: String) {
        var field = field
        field.withUTF8 { utf8 in
            withUnsafeBytes(of: UInt64(utf8.count).littleEndian) { buffer.append(contentsOf: $0) }
            buffer.append(contentsOf: utf8)
        }
    }
}
