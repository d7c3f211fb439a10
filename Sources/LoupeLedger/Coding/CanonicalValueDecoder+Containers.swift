import Foundation

struct KeyedObjectDecoder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let reader: JSONByteReader
    let members: [JSONByteReader.Member]
    var codingPath: [any CodingKey] { [] }

    var allKeys: [Key] {
        members.compactMap { member in
            (try? reader.decodeString(at: member.keyStart - 1)).flatMap { Key(stringValue: $0) }
        }
    }

    private func find(_ key: Key) -> Int? {
        let name = key.stringValue
        for member in members where reader.keyMatches(member, name) { return member.value }
        return nil
    }

    private func value(_ key: Key) throws -> Int {
        guard let position = find(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: [], debugDescription: "no value for \(key.stringValue)"))
        }
        return position
    }

    func contains(_ key: Key) -> Bool { find(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool { reader.isNull(try value(key)) }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try reader.decodeBool(at: try value(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try reader.decodeString(at: try value(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try reader.decodeDouble(at: try value(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try reader.decodeDouble(at: try value(key))) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try reader.decodeInteger(Int.self, at: try value(key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try reader.decodeInteger(Int8.self, at: try value(key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try reader.decodeInteger(Int16.self, at: try value(key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try reader.decodeInteger(Int32.self, at: try value(key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try reader.decodeInteger(Int64.self, at: try value(key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try reader.decodeInteger(UInt.self, at: try value(key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try reader.decodeInteger(UInt8.self, at: try value(key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try reader.decodeInteger(UInt16.self, at: try value(key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try reader.decodeInteger(UInt32.self, at: try value(key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try reader.decodeInteger(UInt64.self, at: try value(key)) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try reader.decodeValue(T.self, at: try value(key)) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try CanonicalValueDecoder(reader: reader, position: try value(key)).container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try CanonicalValueDecoder(reader: reader, position: try value(key)).unkeyedContainer()
    }
    func superDecoder() throws -> any Decoder { throw reader.malformed(0) }
    func superDecoder(forKey key: Key) throws -> any Decoder { throw reader.malformed(0) }
}

struct ArrayDecoder: UnkeyedDecodingContainer {
    let reader: JSONByteReader
    let items: [Int]
    var codingPath: [any CodingKey] { [] }
    var currentIndex = 0
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func next() throws -> Int {
        guard currentIndex < items.count else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: [], debugDescription: "array ended"))
        }
        defer { currentIndex += 1 }
        return items[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        guard currentIndex < items.count, reader.isNull(items[currentIndex]) else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try reader.decodeValue(T.self, at: try next()) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try CanonicalValueDecoder(reader: reader, position: try next()).container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try CanonicalValueDecoder(reader: reader, position: try next()).unkeyedContainer()
    }
    mutating func superDecoder() throws -> any Decoder { throw reader.malformed(0) }
}

struct SingleDecoder: SingleValueDecodingContainer {
    let reader: JSONByteReader
    let position: Int
    var codingPath: [any CodingKey] { [] }

    func decodeNil() -> Bool { reader.isNull(position) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try reader.decodeValue(T.self, at: position) }
}
