/// One labelled image. `mask` and `fov` are read as > 127 = vessel / inside.
public struct TrainingSample: Sendable, Equatable {
    public var image: RasterImage
    public var mask: RasterImage
    public var fov: RasterImage?

    public init(image: RasterImage, mask: RasterImage, fov: RasterImage? = nil) {
        self.image = image
        self.mask = mask
        self.fov = fov
    }
}

/// Reported after every batch.
public struct TrainingProgress: Sendable, Equatable {
    /// 1-based.
    public let epoch: Int
    /// Known when the budget is in epochs.
    public let plannedEpochs: Int?
    /// 1-based, within the epoch.
    public let batch: Int
    public let batchesPerEpoch: Int
    /// Mean loss over the epoch's batches so far.
    public let loss: Float
    /// Pooled validation Dice after the last finished epoch, when there is a validation set.
    public let validationDice: Double?
    public let cropsPerSecond: Double
    public let elapsedSeconds: Double
    public let remainingSeconds: Double?

    public var isEpochEnd: Bool { batch == batchesPerEpoch }
}

public struct TrainingResult: Sendable, Equatable {
    public let weights: ModelWeights
    public let epochs: Int
    /// Mean training loss of each epoch.
    public let lossCurve: [Float]
    /// Pooled validation metrics after each epoch (empty without a validation set).
    public let validationCurve: [SegmentationMetrics]
    public let milliseconds: Int
    public let crops: Int
    /// Worker threads the layers split work across: part of what makes the weights reproducible.
    public let threads: Int

    public var validation: SegmentationMetrics? { validationCurve.last }
}

public enum TrainingError: Error, Equatable, CustomStringConvertible {
    case cancelled
    case noSamples
    case maskSizeMismatch(sample: Int)
    case imageSmallerThanCrop(sample: Int, crop: Int)
    case warmStartArchitecture

    public var description: String {
        switch self {
        case .cancelled: "training was cancelled"
        case .noSamples: "training needs at least one sample"
        case .maskSizeMismatch(let i): "sample \(i): mask or field of view differs in size from the image"
        case .imageSmallerThanCrop(let i, let crop): "sample \(i): image is smaller than the \(crop)-pixel crop"
        case .warmStartArchitecture: "warm-start weights have a different architecture than the model config"
        }
    }
}
