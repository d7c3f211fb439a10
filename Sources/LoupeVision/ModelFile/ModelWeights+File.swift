/// The model file, all integers little-endian:
///
/// | bytes | content |
/// |---|---|
/// | 8 | magic `LOUPEUNT` |
/// | 4 | format version (1, or 2 for a guided model) |
/// | 4 | input mode: 0 gray, 1 green, 2 rgb |
/// | 4 | normalisation: 0 per-image, 1 unit |
/// | 4 | version 2 only: guidance planes (2) |
/// | 4 | depth D |
/// | 4 x D | encoder widths |
/// | 4 | bottleneck width |
/// | 8 | parameter count P |
/// | 4 x P | parameters, float32 |
///
/// Content-addressing (SHA-256 of these bytes) is the object store's job; the encoding is
/// canonical, so equal weights always hash equal. A model without guidance is still written as
/// version 1, byte for byte as before, so its SHA and every ledger naming it stay valid.
extension ModelWeights {
    static let magic = Array("LOUPEUNT".utf8)
    public static let formatVersion: UInt32 = 2

    private static let inputCodes: [InputMode] = [.gray, .green, .rgb]
    private static let normalizationCodes: [Normalization] = [.perImage, .unit]

    public func encoded() -> [UInt8] {
        var bytes = Self.magic
        bytes.reserveCapacity(64 + parameters.count * 4)
        func put32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        put32(config.guidance ? 2 : 1)
        put32(UInt32(Self.inputCodes.firstIndex(of: config.input)!))
        put32(UInt32(Self.normalizationCodes.firstIndex(of: config.normalization)!))
        if config.guidance { put32(UInt32(GuidanceMaps.planes)) }
        put32(UInt32(config.channels.count))
        for width in config.channels { put32(UInt32(width)) }
        put32(UInt32(config.bottleneck))
        withUnsafeBytes(of: UInt64(parameters.count).littleEndian) { bytes.append(contentsOf: $0) }
        for value in parameters { put32(value.bitPattern) }
        return bytes
    }

    public init(decoding bytes: [UInt8]) throws {
        var reader = LittleEndianReader(bytes)
        guard bytes.count >= Self.magic.count, Array(bytes[0..<Self.magic.count]) == Self.magic else {
            throw ModelFileError.badMagic
        }
        reader.skip(Self.magic.count)
        let version = try reader.u32()
        guard version <= Self.formatVersion else {
            throw ModelFileError.newerVersion(found: version, supported: Self.formatVersion)
        }
        let inputCode = Int(try reader.u32()), normalizationCode = Int(try reader.u32())
        guard inputCode < Self.inputCodes.count else { throw ModelFileError.badArchitecture("input mode \(inputCode)") }
        guard normalizationCode < Self.normalizationCodes.count else {
            throw ModelFileError.badArchitecture("normalisation \(normalizationCode)")
        }
        var guidance = false
        if version >= 2 {
            let planes = try reader.u32()
            guard planes == GuidanceMaps.planes else { throw ModelFileError.badArchitecture("guidance planes \(planes)") }
            guidance = true
        }
        let depth = Int(try reader.u32())
        guard (1...6).contains(depth) else { throw ModelFileError.badArchitecture("depth \(depth)") }
        let channels = try (0..<depth).map { _ in Int(try reader.u32()) }
        let config = ModelConfig(
            channels: channels, bottleneck: Int(try reader.u32()),
            input: Self.inputCodes[inputCode], normalization: Self.normalizationCodes[normalizationCode],
            guidance: guidance)
        do { try config.validate() } catch { throw ModelFileError.badArchitecture("\(error)") }
        let count = Int(try reader.u64())
        let expectedCount = UNet(config: config).parameterCount
        let expectedSize = reader.offset + expectedCount * 4
        guard count == expectedCount, bytes.count == expectedSize else {
            throw ModelFileError.wrongSize(expected: expectedSize, found: bytes.count)
        }
        let parameters = try (0..<count).map { _ in Float(bitPattern: try reader.u32()) }
        try self.init(config: config, parameters: parameters)
    }
}

private struct LittleEndianReader {
    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func skip(_ count: Int) { offset += count }

    mutating func u32() throws -> UInt32 {
        UInt32(truncatingIfNeeded: try read(4))
    }

    mutating func u64() throws -> UInt64 { try read(8) }

    private mutating func read(_ width: Int) throws -> UInt64 {
        guard offset + width <= bytes.count else {
            throw ModelFileError.truncated(needed: offset + width, found: bytes.count)
        }
        var value: UInt64 = 0
        for i in 0..<width { value |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        offset += width
        return value
    }
}
