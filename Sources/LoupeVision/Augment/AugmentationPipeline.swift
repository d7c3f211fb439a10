/// The ordered augmentation steps, decoded from (and encoded as) the JSON list in loupe.json.
///
/// Each step maps every current sample to one or more new ones, so a crop step followed by
/// flips flips every crop independently.
public struct AugmentationPipeline: Codable, Equatable, Sendable {
    public var steps: [AugmentationStep]

    public init(steps: [AugmentationStep]) { self.steps = steps }

    /// 128x128 crops, 44 per image per epoch (6 images give the case study's 264), each flipped
    /// at random both ways.
    public static let standard = AugmentationPipeline(steps: [
        .crop(size: 128, count: 44),
        .flip(horizontal: 0.5, vertical: 0.5),
    ])

    public init(from decoder: any Decoder) throws {
        var list = try decoder.unkeyedContainer()
        var steps: [AugmentationStep] = []
        while !list.isAtEnd {
            do {
                steps.append(try list.decode(AugmentationStep.self))
            } catch let error as SettingsError {
                throw SettingsError("step \(steps.count + 1): \(error.description)")
            }
        }
        self.steps = steps
    }

    public func encode(to encoder: any Encoder) throws {
        var list = encoder.unkeyedContainer()
        for step in steps { try list.encode(step) }
    }

    /// Samples per source image per epoch.
    public var samplesPerImage: Int {
        steps.reduce(1) { count, step in
            if case .crop(_, let crops) = step { return count * crops }
            return count
        }
    }
}
