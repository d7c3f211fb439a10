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

/// The Encoder handed to one value's `encode(to:)`; `finish()` closes whatever container it made.
final class CanonicalValueEncoder: Encoder {
    enum State {
        case none
        case object(start: Int, firstMember: Int)
        case array
        case single
    }

    let writer: JSONByteWriter
    @exclusivity(unchecked) var state = State.none
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(writer: JSONByteWriter) {
        self.writer = writer
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        switch state {
        case .none:
            state = .object(start: writer.bytes.count, firstMember: writer.members.count)
        case .object: break
        case .array, .single: writer.unsupported = true
        }
        return KeyedEncodingContainer(KeyedObjectEncoder<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        switch state {
        case .none:
            state = .array
            writer.bytes.append(UInt8(ascii: "["))
        case .array: break
        case .object, .single: writer.unsupported = true
        }
        return ArrayEncoder(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        switch state {
        case .none: state = .single
        default: writer.unsupported = true
        }
        return SingleEncoder(encoder: self)
    }

    func addMember(_ key: String, _ write: () throws -> Void) rethrows {
        guard case .object = state else {
            writer.unsupported = true
            return
        }
        let valueStart = writer.bytes.count
        try write()
        writer.members.append((key, valueStart, writer.bytes.count))
    }

    func finish() {
        switch state {
        case .none:
            // encode(to:) made no container: JSONEncoder writes an empty object.
            writer.bytes.append(contentsOf: "{}".utf8)
        case .single:
            break
        case .array:
            writer.bytes.append(UInt8(ascii: "]"))
        case .object(let start, let first):
            // Few members: insertion sort by key, on the key's UTF-8 bytes.
            let end = writer.members.count
            if end - first > 1 {
                for i in (first + 1)..<end {
                    let member = writer.members[i]
                    var j = i
                    while j > first && Self.keyLess(member.key, writer.members[j - 1].key) {
                        writer.members[j] = writer.members[j - 1]
                        j -= 1
                    }
                    writer.members[j] = member
                }
            }
            let scratch = writer
            scratch.scratch.removeAll(keepingCapacity: true)
            scratch.scratch.append(UInt8(ascii: "{"))
            for index in first..<end {
                let member = writer.members[index]
                if index > first { scratch.scratch.append(UInt8(ascii: ",")) }
                scratch.scratch.append(UInt8(ascii: "\""))
                var key = member.key
                key.withUTF8 { scratch.scratch.append(contentsOf: $0) }
                scratch.scratch.append(contentsOf: "\":".utf8)
                scratch.scratch.append(contentsOf: writer.bytes[member.start..<member.end])
            }
            scratch.scratch.append(UInt8(ascii: "}"))
            writer.bytes.replaceSubrange(start..., with: scratch.scratch)
            writer.members.removeSubrange(first...)
        }
        state = .single
    }

    /// Byte order of UTF-8, which is what JSONEncoder's sorted keys come to for these keys.
    @inline(__always)
    static func keyLess(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { a in
            b.withUTF8 { b in
                let common = min(a.count, b.count)
                let order = common == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, common)
                return order != 0 ? order < 0 : a.count < b.count
            }
        }
    }
}

private struct KeyedObjectEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: CanonicalValueEncoder
    var codingPath: [any CodingKey] { [] }

    private var writer: JSONByteWriter { encoder.writer }

    mutating func encodeNil(forKey key: Key) throws {
        encoder.addMember(key.stringValue) { writer.bytes.append(contentsOf: "null".utf8) }
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        encoder.addMember(key.stringValue) { writer.bytes.append(contentsOf: value ? "true".utf8 : "false".utf8) }
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        encoder.addMember(key.stringValue) { writer.writeString(value) }
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        try encoder.addMember(key.stringValue) { try writer.writeDouble(value) }
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        try encoder.addMember(key.stringValue) { try writer.writeFloat(value) }
    }
    mutating func encode(_ value: Int, forKey key: Key) throws {
        encoder.addMember(key.stringValue) { writer.writeInteger(value) }
    }
    mutating func encode(_ value: Int8, forKey key: Key) throws {
        encoder.addMember(key.stringValue) { writer.writeInteger(value) }
    }
    mutating func encode(_ value: Int16, forKey key: Key) throws {
        encoder.addMember(key.stringValue) { writer.writeInteger(value) }
    }
    mutating func encode(_ value: Int32, forKey key: Key) throws {
        encoder.addMember(key.stringValue) { writer.writeInteger(value) }
    }
    mutating func encode(_ value: Int64, forKey key: Key) throws {
        encoder.addMember(key.stringValue) { writer.writeInteger(value) }
    }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        encoder.addMember(key.stringValue) { writer.writeInteger(value) }
    }
    mutating func encode(_ value: UInt8, forKey key: Key) throws {
        encoder.addMember(key.stringValue) { writer.writeInteger(value) }
    }
    mutating func encode(_ value: UInt16, forKey key: Key) throws {
        encoder.addMember(key.stringValue) { writer.writeInteger(value) }
    }
    mutating func encode(_ value: UInt32, forKey key: Key) throws {
        encoder.addMember(key.stringValue) { writer.writeInteger(value) }
    }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        encoder.addMember(key.stringValue) { writer.writeInteger(value) }
    }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try encoder.addMember(key.stringValue) { try writer.encodeValue(value) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        writer.unsupported = true
        return CanonicalValueEncoder(writer: JSONByteWriter()).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        writer.unsupported = true
        return CanonicalValueEncoder(writer: JSONByteWriter()).unkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder {
        writer.unsupported = true
        return CanonicalValueEncoder(writer: JSONByteWriter())
    }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        writer.unsupported = true
        return CanonicalValueEncoder(writer: JSONByteWriter())
    }
}

private struct ArrayEncoder: UnkeyedEncodingContainer {
    let encoder: CanonicalValueEncoder
    var codingPath: [any CodingKey] { [] }
    var count = 0

    private var writer: JSONByteWriter { encoder.writer }

    private mutating func separate() {
        if count > 0 { writer.bytes.append(UInt8(ascii: ",")) }
        count += 1
    }

    mutating func encodeNil() throws {
        separate()
        writer.bytes.append(contentsOf: "null".utf8)
    }
    mutating func encode<T: Encodable>(_ value: T) throws {
        separate()
        try writer.encodeValue(value)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        writer.unsupported = true
        return CanonicalValueEncoder(writer: JSONByteWriter()).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        writer.unsupported = true
        return CanonicalValueEncoder(writer: JSONByteWriter()).unkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder {
        writer.unsupported = true
        return CanonicalValueEncoder(writer: JSONByteWriter())
    }
}

private struct SingleEncoder: SingleValueEncodingContainer {
    let encoder: CanonicalValueEncoder
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { encoder.writer.bytes.append(contentsOf: "null".utf8) }
    mutating func encode<T: Encodable>(_ value: T) throws { try encoder.writer.encodeValue(value) }
}
