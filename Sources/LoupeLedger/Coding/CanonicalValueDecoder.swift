import Foundation

/// The Decoder for one value at `position`.
struct CanonicalValueDecoder: Decoder {
    let reader: JSONByteReader
    let position: Int
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(KeyedObjectDecoder<Key>(reader: reader, members: try reader.members(at: position)))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        ArrayDecoder(reader: reader, items: try reader.items(at: position))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleDecoder(reader: reader, position: position)
    }
}
