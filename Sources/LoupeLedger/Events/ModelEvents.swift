/// One (image, mask) pair a training used.
public struct LabelledImage: Codable, Sendable, Equatable {
    public var image: String
    public var mask: String

    public init(image: String, mask: String) {
        self.image = image
        self.mask = mask
    }
}

/// Everything needed to train the same weights again: `loupe reproduce` reads it back.
///
/// `blasKernel` (OpenBLAS's core name), `blasLibrary` (its version and build string) and
/// `threads` say what computed the weights, so that `reproduce` can name what differs; they
/// are nil in logs written before they were recorded.
public struct TrainingStarted: Codable, Sendable, Equatable {
    public var run: Int
    public var configHash: String
    public var config: String
    public var seed: UInt64
    public var warmStart: String?
    public var trainingSet: [LabelledImage]
    public var validationSet: [LabelledImage]
    public var upToSeq: Int
    public var blasKernel: String?
    public var blasLibrary: String?
    public var threads: Int?
    /// Why a training the settings would warm-start starts from random weights instead (the
    /// serving model's architecture is not the configured one). Absent in older logs.
    public var coldStart: String?

    public init(
        run: Int, configHash: String, config: String, seed: UInt64, warmStart: String?,
        trainingSet: [LabelledImage], validationSet: [LabelledImage], upToSeq: Int,
        blasKernel: String? = nil, blasLibrary: String? = nil, threads: Int? = nil, coldStart: String? = nil
    ) {
        self.run = run
        self.configHash = configHash
        self.config = config
        self.seed = seed
        self.warmStart = warmStart
        self.trainingSet = trainingSet
        self.validationSet = validationSet
        self.upToSeq = upToSeq
        self.blasKernel = blasKernel
        self.blasLibrary = blasLibrary
        self.threads = threads
        self.coldStart = coldStart
    }
}

/// `threads` is recorded because the weights are bitwise reproducible only with the same
/// OpenBLAS thread count.
public struct ModelTrained: Codable, Sendable, Equatable {
    public var run: Int
    public var model: String
    public var epochs: Int
    public var lossCurve: [Double]
    public var validationDice: Double?
    public var threads: Int
    public var ms: Int

    public init(run: Int, model: String, epochs: Int, lossCurve: [Double], validationDice: Double?, threads: Int, ms: Int) {
        self.run = run
        self.model = model
        self.epochs = epochs
        self.lossCurve = lossCurve
        self.validationDice = validationDice
        self.threads = threads
        self.ms = ms
    }
}

/// A training that ended without a model: `aborted` when the daemon stopped it.
public struct TrainingEnded: Codable, Sendable, Equatable {
    public var run: Int
    public var reason: String

    public init(run: Int, reason: String) {
        self.run = run
        self.reason = reason
    }
}

public struct ModelPromoted: Codable, Sendable, Equatable {
    public var model: String
    public var replaced: String?
    public var why: String

    public init(model: String, replaced: String?, why: String) {
        self.model = model
        self.replaced = replaced
        self.why = why
    }
}

/// A trained model kept out of service: below the floor every model must clear to serve
/// (`floor` and `reason` say which), or below the model in service on the same images.
/// `floor` and `reason` are absent in logs written before the floor existed.
public struct ModelRejected: Codable, Sendable, Equatable {
    public var model: String
    /// The Dice that decided: on the held-back corrections, or without them on the training images.
    public var candidateDice: Double
    /// Nil when no model was in service to compare with.
    public var currentDice: Double?
    /// The `retrain.minValidationDice` the model did not clear; nil when it lost to the current model.
    public var floor: Double?
    public var reason: String?

    public init(model: String, candidateDice: Double, currentDice: Double?, floor: Double? = nil, reason: String? = nil) {
        self.model = model
        self.candidateDice = candidateDice
        self.currentDice = currentDice
        self.floor = floor
        self.reason = reason
    }
}
