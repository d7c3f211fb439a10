import Testing
@testable import LoupeVision

@Suite struct ModelFileTests {
    let weights = try! ModelWeights(initializing: ModelConfig(channels: [4, 8], bottleneck: 16, input: .rgb), seed: 5)

    @Test func roundTripsBitwise() throws {
        let bytes = weights.encoded()
        #expect(Array(bytes.prefix(8)) == Array("LOUPEUNT".utf8))
        #expect(bytes.count == 8 + 4 * 5 + 4 * 2 + 8 + 4 * weights.parameters.count)
        let decoded = try ModelWeights(decoding: bytes)
        #expect(decoded == weights)
        #expect(decoded.config.input == .rgb)
    }

    @Test func refusesBadMagic() {
        var bytes = weights.encoded()
        bytes[0] = UInt8(ascii: "X")
        #expect(throws: ModelFileError.badMagic) { try ModelWeights(decoding: bytes) }
    }

    @Test func refusesNewerVersion() {
        var bytes = weights.encoded()
        bytes[8] = 3
        #expect(throws: ModelFileError.newerVersion(found: 3, supported: 2)) { try ModelWeights(decoding: bytes) }
    }

    @Test func refusesWrongSize() {
        let bytes = weights.encoded()
        #expect(throws: ModelFileError.wrongSize(expected: bytes.count, found: bytes.count - 4)) {
            try ModelWeights(decoding: Array(bytes.dropLast(4)))
        }
        #expect(throws: ModelFileError.truncated(needed: 12, found: 10)) {
            try ModelWeights(decoding: Array(bytes.prefix(10)))
        }
    }

    @Test func errorMessagesNameTheProblem() {
        #expect(ModelFileError.newerVersion(found: 3, supported: 1).description.contains("version 3 is newer"))
        #expect(ModelFileError.badMagic.description.contains("not a Loupe model file"))
    }
}
