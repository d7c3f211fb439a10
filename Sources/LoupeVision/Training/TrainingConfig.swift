/// How long and how to train. JSON keys: `epochs` or `minutes`, `batchSize`, `learningRate`,
/// `seed`, `augment` (the step list of `AugmentationPipeline`).
public struct TrainingConfig: Codable, Equatable, Sendable {
    public enum Budget: Equatable, Sendable {
        case epochs(Int)
        /// Whole epochs only: an epoch starts only if it is expected to end inside the budget, so
        /// the epoch count recorded afterwards reproduces the same weights.
        case minutes(Double)

        /// `factor` times this budget; epochs saturate instead of overflowing.
        public func scaled(by factor: Int) -> Budget {
            switch self {
            case .epochs(let n):
                let (product, overflow) = n.multipliedReportingOverflow(by: factor)
                return .epochs(overflow ? Int.max : product)
            case .minutes(let m): return .minutes(m * Double(factor))
            }
        }
    }

    public var budget: Budget
    public var batchSize: Int
    public var learningRate: Float
    public var seed: UInt64
    public var augment: AugmentationPipeline
    /// Weight of the skeleton recall term of the loss (`SegmentationLoss`); 0 leaves it out.
    public var skeletonRecall: Double

    public init(
        budget: Budget = .epochs(50), batchSize: Int = 8, learningRate: Float = 1e-3, seed: UInt64 = 1,
        augment: AugmentationPipeline = .standard, skeletonRecall: Double = 0
    ) {
        self.budget = budget
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.seed = seed
        self.augment = augment
        self.skeletonRecall = skeletonRecall
    }

    public func validate() throws {
        switch budget {
        case .epochs(let n) where n < 1: throw SettingsError("training: 'epochs' must be at least 1, got \(n)")
        case .minutes(let m) where !(m > 0): throw SettingsError("training: 'minutes' must be positive, got \(m)")
        default: break
        }
        if !(1...1024).contains(batchSize) {
            throw SettingsError("training: 'batchSize' must be between 1 and 1024, got \(batchSize)")
        }
        if !(learningRate > 0 && learningRate < 1) {
            throw SettingsError("training: 'learningRate' must be in (0, 1), got \(learningRate)")
        }
        if !(0...100).contains(skeletonRecall) {
            throw SettingsError("training: 'skeletonRecall' must be between 0 and 100, got \(skeletonRecall)")
        }
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case epochs, minutes, batchSize, learningRate, seed, augment, skeletonRecall
    }

    public init(from decoder: any Decoder) throws {
        try UnknownKeys.refuse(in: decoder, allowed: CodingKeys.self, context: "training")
        let values = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = TrainingConfig()
        let epochs = try values.decodeIfPresent(Int.self, forKey: .epochs)
        let minutes = try values.decodeIfPresent(Double.self, forKey: .minutes)
        switch (epochs, minutes) {
        case (let e?, nil): budget = .epochs(e)
        case (nil, let m?): budget = .minutes(m)
        case (nil, nil): budget = defaults.budget
        case (_?, _?): throw SettingsError("training: give either 'epochs' or 'minutes', not both")
        }
        batchSize = try values.decodeIfPresent(Int.self, forKey: .batchSize) ?? defaults.batchSize
        learningRate = try values.decodeIfPresent(Float.self, forKey: .learningRate) ?? defaults.learningRate
        seed = try values.decodeIfPresent(UInt64.self, forKey: .seed) ?? defaults.seed
        augment = try values.decodeIfPresent(AugmentationPipeline.self, forKey: .augment) ?? defaults.augment
        skeletonRecall = try values.decodeIfPresent(Double.self, forKey: .skeletonRecall) ?? defaults.skeletonRecall
        try validate()
    }

    public func encode(to encoder: any Encoder) throws {
        var values = encoder.container(keyedBy: CodingKeys.self)
        switch budget {
        case .epochs(let e): try values.encode(e, forKey: .epochs)
        case .minutes(let m): try values.encode(m, forKey: .minutes)
        }
        try values.encode(batchSize, forKey: .batchSize)
        try values.encode(learningRate, forKey: .learningRate)
        try values.encode(seed, forKey: .seed)
        try values.encode(augment, forKey: .augment)
        if skeletonRecall != 0 { try values.encode(skeletonRecall, forKey: .skeletonRecall) }
    }
}
