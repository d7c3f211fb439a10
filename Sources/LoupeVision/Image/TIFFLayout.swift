/// Reads a TIFF's first directory by hand to tell a file cut short (its directory, a tag's
/// values, or a strip or tile lying past the end) from one whose structure is damaged. libtiff
/// cannot: it shortens a single strip that runs past the end to fit the file.
struct TIFFLayout {
    private let bytes: [UInt8]
    private let littleEndian: Bool
    private let big: Bool

    /// Why the file looks cut short, or nil when everything the first directory points at is
    /// inside the file.
    static func missingEnd(of bytes: [UInt8]) throws -> String? {
        try TIFFLayout(bytes: bytes).missingEnd()
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
        littleEndian = bytes[0] == UInt8(ascii: "I")
        big = bytes[2] == 43 || bytes[3] == 43
    }

    private var offsetSize: Int { big ? 8 : 4 }
    private var entrySize: Int { big ? 20 : 12 }

    private func missingEnd() throws -> String? {
        let headerSize = big ? 16 : 8
        guard bytes.count >= headerSize else { return "cut inside its \(headerSize)-byte header" }
        let directory = number(at: big ? 8 : 4, size: offsetSize)!
        guard directory >= headerSize else {
            throw ImageDecodingError.corrupt(format: "TIFF", detail: "first directory at offset \(directory)")
        }
        let countSize = big ? 8 : 2
        guard let entries = number(at: directory, size: countSize) else {
            return "its directory at byte \(directory) lies past the end (\(bytes.count) bytes)"
        }
        guard (1...65535).contains(entries) else {
            throw ImageDecodingError.corrupt(format: "TIFF", detail: "directory with \(entries) entries")
        }
        let first = directory + countSize
        guard first + entries * entrySize + offsetSize <= bytes.count else {
            return "cut inside its directory at byte \(directory)"
        }
        var values: [Int: [Int]] = [:]
        for index in 0..<entries {
            let entry = first + index * entrySize
            let tag = number(at: entry, size: 2)!
            switch try read(entryAt: entry) {
            case .pastEnd:
                return "the values of tag \(tag) lie past the end"
            case .numbers(let numbers):
                values[tag] = numbers
            case .other:
                continue
            }
        }
        let chunks = [(offsets: 273, counts: 279, name: "strip"), (offsets: 324, counts: 325, name: "tile")]
        for chunk in chunks {
            guard let offsets = values[chunk.offsets], let counts = values[chunk.counts] else { continue }
            for (index, (offset, count)) in zip(offsets, counts).enumerated() where !fits(offset, count) {
                return "\(chunk.name) \(index) of \(count) bytes at byte \(offset) runs past the end (\(bytes.count) bytes)"
            }
        }
        return nil
    }

    private enum Values {
        case numbers([Int])
        case pastEnd
        case other
    }

    /// The unsigned integer values of one directory entry, read inline or from where its offset
    /// points.
    private func read(entryAt entry: Int) throws -> Values {
        let type = number(at: entry + 2, size: 2)!
        let count = number(at: entry + 4, size: big ? 8 : 4)!
        let sizes = [1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8]
        guard let size = sizes[type] else { return .other }
        let (total, overflow) = count.multipliedReportingOverflow(by: size)
        guard !overflow else { return .pastEnd }
        let field = entry + (big ? 12 : 8)
        let start = total <= offsetSize ? field : number(at: field, size: offsetSize)!
        guard fits(start, total) else { return .pastEnd }
        guard [3, 4, 16].contains(type) else { return .other }
        return .numbers((0..<count).map { number(at: start + $0 * size, size: size)! })
    }

    private func fits(_ start: Int, _ length: Int) -> Bool {
        start >= 0 && length >= 0 && start <= bytes.count && length <= bytes.count - start
    }

    /// An unsigned number of `size` bytes; eight-byte values beyond Int.max saturate, which
    /// lies past the end of any file.
    private func number(at position: Int, size: Int) -> Int? {
        guard fits(position, size) else { return nil }
        var value: UInt64 = 0
        for index in 0..<size {
            let byte = UInt64(bytes[littleEndian ? position + size - 1 - index : position + index])
            value = value << 8 | byte
        }
        return Int(clamping: value)
    }
}
