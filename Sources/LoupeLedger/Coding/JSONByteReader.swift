import Foundation

final class JSONByteReader {
    let base: UnsafePointer<UInt8>
    let count: Int

    init(_ bytes: UnsafeRawBufferPointer) {
        // An empty buffer may have no address; nothing reads past `count`, so any will do.
        base = bytes.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) } ?? UnsafePointer(bitPattern: 1)!
        count = bytes.count
    }

    func malformed(_ offset: Int) -> CanonicalJSONMalformed { CanonicalJSONMalformed(offset: offset) }

    @inline(__always)
    func byte(_ position: Int) -> UInt8 { position < count ? base[position] : 0 }

    @inline(__always)
    func skipWhitespace(_ position: Int) -> Int {
        var p = position
        while p < count {
            switch base[p] {
            case 0x20, 0x0A, 0x0D, 0x09: p += 1
            default: return p
            }
        }
        return p
    }

    func expect(_ ascii: UInt8, at position: Int) throws -> Int {
        guard byte(position) == ascii else { throw malformed(position) }
        return position + 1
    }

    // MARK: skipping

    /// The position just past the value starting at `position` (which must not be whitespace).
    func skipValue(_ position: Int) throws -> Int {
        switch byte(position) {
        case UInt8(ascii: "\""): return try skipString(position)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var p = position
            while p < count {
                switch base[p] {
                case UInt8(ascii: "\""): p = try skipString(p); continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return p + 1 }
                default: break
                }
                p += 1
            }
            throw malformed(position)
        case UInt8(ascii: "t"): return try literal("true", at: position)
        case UInt8(ascii: "f"): return try literal("false", at: position)
        case UInt8(ascii: "n"): return try literal("null", at: position)
        default:
            var p = position
            while p < count {
                switch base[p] {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                     UInt8(ascii: "e"), UInt8(ascii: "E"):
                    p += 1
                default:
                    guard p > position else { throw malformed(position) }
                    return p
                }
            }
            guard p > position else { throw malformed(position) }
            return p
        }
    }

    func literal(_ word: StaticString, at position: Int) throws -> Int {
        let length = word.utf8CodeUnitCount
        guard position + length <= count, memcmp(base + position, word.utf8Start, length) == 0 else { throw malformed(position) }
        return position + length
    }

    /// Past the closing quote of the string opening at `position`.
    func skipString(_ position: Int) throws -> Int {
        var p = position + 1
        while p < count {
            switch base[p] {
            case UInt8(ascii: "\""): return p + 1
            case UInt8(ascii: "\\"): p += 2
            default: p += 1
            }
        }
        throw malformed(position)
    }

    func isNull(_ position: Int) -> Bool {
        position + 4 <= count && base[position] == UInt8(ascii: "n") && memcmp(base + position, "null", 4) == 0
    }

    // MARK: values

    func decodeValue<T: Decodable>(_ type: T.Type, at position: Int) throws -> T {
        if T.self == String.self { return try decodeString(at: position) as! T }
        if T.self == Int.self { return try decodeInteger(Int.self, at: position) as! T }
        if T.self == Double.self { return try decodeDouble(at: position) as! T }
        if T.self == Bool.self { return try decodeBool(at: position) as! T }
        if T.self == UInt64.self { return try decodeInteger(UInt64.self, at: position) as! T }
        if T.self == Int64.self { return try decodeInteger(Int64.self, at: position) as! T }
        if T.self == Float.self { return Float(try decodeDouble(at: position)) as! T }
        if T.self == Int32.self { return try decodeInteger(Int32.self, at: position) as! T }
        if T.self == UInt32.self { return try decodeInteger(UInt32.self, at: position) as! T }
        if T.self == UInt.self { return try decodeInteger(UInt.self, at: position) as! T }
        if T.self == Date.self || T.self == Data.self || T.self == URL.self || T.self == Decimal.self {
            throw malformed(position)
        }
        return try T(from: CanonicalValueDecoder(reader: self, position: position))
    }

    func decodeBool(at position: Int) throws -> Bool {
        switch byte(position) {
        case UInt8(ascii: "t"): _ = try literal("true", at: position); return true
        case UInt8(ascii: "f"): _ = try literal("false", at: position); return false
        default: throw malformed(position)
        }
    }

    /// Plain integers only ("-12", "0"); fractions and exponents throw (the fallback decides).
    func decodeInteger<I: FixedWidthInteger>(_ type: I.Type, at position: Int) throws -> I {
        var p = position
        let negative = byte(p) == UInt8(ascii: "-")
        if negative { p += 1 }
        let digitsStart = p
        var value: I = 0
        while p < count, base[p] >= UInt8(ascii: "0"), base[p] <= UInt8(ascii: "9") {
            let digit = I(base[p] &- UInt8(ascii: "0"))
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
            guard !o1, !o2 else { throw malformed(position) }
            value = next
            p += 1
        }
        guard p > digitsStart else { throw malformed(position) }
        switch byte(p) {
        case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): throw malformed(position)
        default: return value
        }
    }

    func decodeDouble(at position: Int) throws -> Double {
        let end = try skipValue(position)
        let length = end - position
        guard length > 0, length < 64 else { throw malformed(position) }
        switch byte(position) {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): break
        default: throw malformed(position)
        }
        return try withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            let chars = buffer.baseAddress!
            memcpy(chars, base + position, length)
            chars[length] = 0
            var parsedEnd: UnsafeMutablePointer<CChar>?
            let value = strtod(chars, &parsedEnd)
            guard parsedEnd == chars + length, value.isFinite else { throw malformed(position) }
            return value
        }
    }

    func decodeString(at position: Int) throws -> String {
        guard byte(position) == UInt8(ascii: "\"") else { throw malformed(position) }
        let start = position + 1
        var p = start
        while p < count {
            let b = base[p]
            if b == UInt8(ascii: "\"") {
                return String(decoding: UnsafeBufferPointer(start: base + start, count: p - start), as: UTF8.self)
            }
            if b == UInt8(ascii: "\\") { return try decodeEscapedString(from: start) }
            if b < 0x20 { throw malformed(p) }
            p += 1
        }
        throw malformed(position)
    }

    private func decodeEscapedString(from start: Int) throws -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        var p = start
        while p < count {
            let b = base[p]
            switch b {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                let escaped = byte(p + 1)
                p += 2
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escaped)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4(at: p)
                    p += 4
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard byte(p) == UInt8(ascii: "\\"), byte(p + 1) == UInt8(ascii: "u") else { throw malformed(p) }
                        let low = try hex4(at: p + 2)
                        guard (0xDC00...0xDFFF).contains(low) else { throw malformed(p) }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        p += 6
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw malformed(p) }
                    out.append(contentsOf: String(Character(unicode)).utf8)
                default:
                    throw malformed(p - 1)
                }
            default:
                guard b >= 0x20 else { throw malformed(p) }
                out.append(b)
                p += 1
            }
        }
        throw malformed(start)
    }

    private func hex4(at position: Int) throws -> UInt32 {
        guard position + 4 <= count else { throw malformed(position) }
        var value: UInt32 = 0
        for i in 0..<4 {
            let c = base[position + i]
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default: throw malformed(position)
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    // MARK: objects

    struct Member {
        var keyStart: Int
        var keyEnd: Int
        var keyEscaped: Bool
        var value: Int
    }

    /// The members of the object at `position`, in written order.
    func members(at position: Int) throws -> [Member] {
        var p = try expect(UInt8(ascii: "{"), at: position)
        var members: [Member] = []
        members.reserveCapacity(12)
        p = skipWhitespace(p)
        if byte(p) == UInt8(ascii: "}") { return members }
        while true {
            guard byte(p) == UInt8(ascii: "\"") else { throw malformed(p) }
            let keyStart = p + 1
            let keyEnd = try skipString(p) - 1
            let escaped = memchr(base + keyStart, Int32(UInt8(ascii: "\\")), keyEnd - keyStart) != nil
            p = skipWhitespace(keyEnd + 1)
            p = try expect(UInt8(ascii: ":"), at: p)
            p = skipWhitespace(p)
            members.append(Member(keyStart: keyStart, keyEnd: keyEnd, keyEscaped: escaped, value: p))
            p = skipWhitespace(try skipValue(p))
            switch byte(p) {
            case UInt8(ascii: ","): p = skipWhitespace(p + 1)
            case UInt8(ascii: "}"): return members
            default: throw malformed(p)
            }
        }
    }

    /// Items of the array at `position`: their value offsets.
    func items(at position: Int) throws -> [Int] {
        var p = try expect(UInt8(ascii: "["), at: position)
        var items: [Int] = []
        p = skipWhitespace(p)
        if byte(p) == UInt8(ascii: "]") { return items }
        while true {
            items.append(p)
            p = skipWhitespace(try skipValue(p))
            switch byte(p) {
            case UInt8(ascii: ","): p = skipWhitespace(p + 1)
            case UInt8(ascii: "]"): return items
            default: throw malformed(p)
            }
        }
    }

    func keyMatches(_ member: Member, _ key: String) -> Bool {
        if member.keyEscaped {
            return (try? decodeString(at: member.keyStart - 1)) == key
        }
        var key = key
        return key.withUTF8 { utf8 in
            utf8.count == member.keyEnd - member.keyStart && memcmp(base + member.keyStart, utf8.baseAddress!, utf8.count) == 0
        }
    }
}
