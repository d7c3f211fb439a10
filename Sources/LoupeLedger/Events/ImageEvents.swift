/// An image accepted into the workspace; its stream is `image-<sha256>`.
public struct ImageIngested: Codable, Sendable, Equatable {
    public var image: String
    public var originalName: String
    public var width: Int
    public var height: Int
    public var channels: Int
    public var bytes: Int

    public init(image: String, originalName: String, width: Int, height: Int, channels: Int, bytes: Int) {
        self.image = image
        self.originalName = originalName
        self.width = width
        self.height = height
        self.channels = channels
        self.bytes = bytes
    }
}

/// A file whose bytes are an image already ingested under another name: the name is kept, so
/// a correction named after it finds the image.
public struct ImageNamed: Codable, Sendable, Equatable {
    public var image: String
    public var originalName: String

    public init(image: String, originalName: String) {
        self.image = image
        self.originalName = originalName
    }
}

/// A dropped file that was not accepted, and where it went.
public struct FileRejected: Codable, Sendable, Equatable {
    public var originalName: String
    public var rejectedPath: String
    public var reason: String
    public var sha256: String

    public init(originalName: String, rejectedPath: String, reason: String, sha256: String) {
        self.originalName = originalName
        self.rejectedPath = rejectedPath
        self.reason = reason
        self.sha256 = sha256
    }
}

public struct PredictionMade: Codable, Sendable, Equatable {
    public var image: String
    public var model: String
    public var mask: String
    public var uncertainty: Double
    public var vesselFraction: Double
    public var ms: Int
    /// The SHA-256 of an 8-bit grey PNG of the predicted vessel probabilities (0...255), for a
    /// heat map; nil in logs written before it was stored.
    public var probability: String?

    public init(
        image: String, model: String, mask: String, uncertainty: Double, vesselFraction: Double, ms: Int, probability: String? = nil
    ) {
        self.image = image
        self.model = model
        self.mask = mask
        self.uncertainty = uncertainty
        self.vesselFraction = vesselFraction
        self.ms = ms
        self.probability = probability
    }
}

/// An expert's mask for an image. `basedOnModel` is the model whose prediction the expert
/// saw (nil: drawn without one); `pixelsChanged` counts differences from that prediction.
public struct CorrectionAccepted: Codable, Sendable, Equatable {
    public var image: String
    public var mask: String
    /// The dropped file's own bytes, kept as they came: `mask` is the binarised copy.
    public var source: String
    public var originalName: String
    public var annotator: String?
    public var basedOnModel: String?
    public var basedOnMask: String?
    public var pixelsChanged: Int?
    public var vesselPixels: Int
    public var nonBinaryPixels: Int
    /// How this mask agrees with the image's latest earlier correction by another annotator;
    /// nil when there is none (and in logs written before it was recorded).
    public var disagreement: Disagreement?

    public init(
        image: String, mask: String, source: String, originalName: String, annotator: String?, basedOnModel: String?,
        basedOnMask: String?, pixelsChanged: Int?, vesselPixels: Int, nonBinaryPixels: Int, disagreement: Disagreement? = nil
    ) {
        self.image = image
        self.mask = mask
        self.source = source
        self.originalName = originalName
        self.annotator = annotator
        self.basedOnModel = basedOnModel
        self.basedOnMask = basedOnMask
        self.pixelsChanged = pixelsChanged
        self.vesselPixels = vesselPixels
        self.nonBinaryPixels = nonBinaryPixels
        self.disagreement = disagreement
    }
}

/// Another annotator's earlier mask of the same image, and the Dice of the two binary masks
/// (1 when both are empty).
public struct Disagreement: Codable, Sendable, Equatable {
    public var annotator: String?
    public var mask: String
    public var dice: Double

    public init(annotator: String?, mask: String, dice: Double) {
        self.annotator = annotator
        self.mask = mask
        self.dice = dice
    }
}
