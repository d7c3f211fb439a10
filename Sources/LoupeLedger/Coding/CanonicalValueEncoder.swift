import Foundation

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
