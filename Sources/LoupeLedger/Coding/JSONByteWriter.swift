import Foundation

/// The output buffer shared by an encode's encoders. An object's members are written in call
/// order, their ranges remembered, and the object is rewritten in key order once its
/// `encode(to:)` returns (Codable has no "container finished" call, so the encoder that made
/// the container finishes it).
final class JSONByteWriter {
    // Unchecked: one encode owns its writer, and a dynamic exclusivity check on every byte
    // written was the encoder's largest cost.
    @exclusivity(unchecked) var bytes: [UInt8] = []
    @exclusivity(unchecked) var scratch: [UInt8] = []
    @exclusivity(unchecked) var unsupported = false
    /// Members of the objects being written, innermost last: an object's own entries start at
    /// the index its encoder remembers, and are dropped when it finishes.
    @exclusivity(unchecked) var members: [(key: String, start: Int, end: Int)] = []

    func encodeValue<T: Encodable>(_ value: T) throws {
        if try writePrimitive(value) { return }
        if T.self == Date.self || T.self == Data.self || T.self == URL.self || T.self == Decimal.self {
            unsupported = true
            bytes.append(contentsOf: "null".utf8)
            return
        }
        let encoder = CanonicalValueEncoder(writer: self)
        try value.encode(to: encoder)
        encoder.finish()
    }

    /// Writes Bool, String, integers and floating point directly; false for anything else.
    @inline(__always)
    func writePrimitive<T: Encodable>(_ value: T) throws -> Bool {
        switch value {
        case let v as String: writeString(v)
        case let v as Int: writeInteger(v)
        case let v as Double: try writeDouble(v)
        case let v as Bool: bytes.append(contentsOf: v ? "true".utf8 : "false".utf8)
        case let v as UInt64: writeInteger(v)
        case let v as Int64: writeInteger(v)
        case let v as Int32: writeInteger(v)
        case let v as UInt32: writeInteger(v)
        case let v as UInt: writeInteger(v)
        case let v as Float: try writeFloat(v)
        case let v as Int16: writeInteger(v)
        case let v as UInt16: writeInteger(v)
        case let v as Int8: writeInteger(v)
        case let v as UInt8: writeInteger(v)
        default: return false
        }
        return true
    }

    func writeInteger<I: BinaryInteger>(_ value: I) {
        if value == 0 {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        var magnitude = value.magnitude
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        // 20 digits cover UInt64.max.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { digits in
            var index = 40
            while magnitude != 0 {
                index -= 1
                digits[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[index..<40]))
        }
    }

    func writeDouble(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "\(value) is not valid in JSON"))
        }
        if value == value.rounded(.towardZero), abs(value) < 2_147_483_648 {
            // Integral and far below where `description` turns to exponents: JSONEncoder
            // writes its digits (it drops the ".0"), and so can we without making a String.
            if value == 0, value.sign == .minus { bytes.append(contentsOf: "-0".utf8) } else { writeInteger(Int64(value)) }
            return
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    func writeFloat(_ value: Float) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "\(value) is not valid in JSON"))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    func writeString(_ value: String) {
        var value = value
        value.withUTF8 { writeString(utf8: UnsafeRawBufferPointer($0)) }
    }

    func writeString(utf8: UnsafeRawBufferPointer) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            if runStart < index { bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: utf8[runStart..<index])) }
            runStart = index + 1
            bytes.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            default:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: "u00".utf8)
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xF)])
            }
        }
        if runStart < utf8.count { bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: utf8[runStart...])) }
        bytes.append(UInt8(ascii: "\""))
    }
}
