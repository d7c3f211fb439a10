import Foundation

/// `simulate --seeds 1,2,3`: one simulation per seed, each in a lab of its own. A seed is the
/// training seed in loupe.json and the random strategy's seed, so two seeds differ in what
/// chance decides and in nothing else.
package enum SimulationSeeds {
    /// Each seed is a whole simulation (an hour or more on STARE): more than this is a typo.
    package static let maximumCount = 20

    /// Parses "1,2,3"; refuses, naming the culprit, an empty list, a piece that is not a whole
    /// number from 0 to 2^64-1, a seed given twice and more than `maximumCount` seeds.
    package static func parse(_ text: String) throws -> [UInt64] {
        let pieces = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw HarnessError("--seeds is empty; give seeds like 1,2,3") }
        guard pieces.count <= maximumCount else {
            throw HarnessError("--seeds lists \(pieces.count) seeds; at most \(maximumCount), each is a whole simulation")
        }
        var seeds: [UInt64] = []
        for piece in pieces {
            guard let seed = UInt64(piece) else {
                if piece.isEmpty { throw HarnessError("--seeds '\(text)' has an empty entry; give seeds like 1,2,3") }
                if piece.hasPrefix("-"), Int(piece) != nil { throw HarnessError("seed \(piece) is negative; seeds are 0 to \(UInt64.max)") }
                throw HarnessError("seed '\(piece)' is not a whole number from 0 to \(UInt64.max)")
            }
            guard !seeds.contains(seed) else { throw HarnessError("seed \(seed) is given twice in --seeds") }
            seeds.append(seed)
        }
        return seeds
    }

    /// The lab (or output folder) of one seed's run inside `parent`.
    package static func folder(_ parent: String, seed: UInt64) -> String { "\(parent)/seed-\(seed)" }
}
