import Foundation

struct KeyedObjectEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
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

struct ArrayEncoder: UnkeyedEncodingContainer {
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

struct SingleEncoder: SingleValueEncodingContainer {
    let encoder: CanonicalValueEncoder
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { encoder.writer.bytes.append(contentsOf: "null".utf8) }
    mutating func encode<T: Encodable>(_ value: T) throws { try encoder.writer.encodeValue(value) }
}
