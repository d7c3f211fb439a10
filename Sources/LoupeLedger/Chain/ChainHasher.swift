import Crypto
import Foundation

/// hash = SHA-256(prev_hash || canonical row). The canonical row is every stored field
/// but the hashes, each as a little-endian 64-bit length then its UTF-8 bytes, so no choice
/// of field contents can make two different rows encode alike. Integers are their decimal text.
struct ChainHasher {
    static let genesis = [UInt8](repeating: 0, count: 32)
    private var buffer: [UInt8] = []

    init() { buffer.reserveCapacity(1024) }

    mutating func hash(prev: [UInt8], row: EventRow) -> [UInt8] {
        begin(prev: prev)
        field(row.seq)
        field(row.stream)
        field(row.version)
        field(row.eventID)
        field(row.type)
        field(row.schema)
        field(row.payload)
        field(row.at)
        return Array(finish())
    }

    // MARK: field by field, for the append and verify loops (no EventRow, no Strings)

    mutating func begin<Bytes: Sequence<UInt8>>(prev: Bytes) {
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: prev)
    }

    mutating func field(_ bytes: UnsafeRawBufferPointer) {
        withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { buffer.append(contentsOf: $0) }
        buffer.append(contentsOf: bytes)
    }

    mutating func field(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { field($0) }
    }

    mutating func field(_ string: String) {
        var string = string
        string.withUTF8 { field(UnsafeRawBufferPointer($0)) }
    }

    /// An integer as its decimal text, written without making a String.
    mutating func field(_ value: Int) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { digits in
            var index = 24
            var magnitude = value.magnitude
            repeat {
                index -= 1
                digits[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude != 0
            if value < 0 {
                index -= 1
                digits[index] = UInt8(ascii: "-")
            }
            field(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(digits)[index..<24]))
        }
    }

    func finish() -> SHA256Digest {
        buffer.withUnsafeBytes { SHA256.hash(data: $0) }
    }
}
