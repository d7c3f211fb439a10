/// An image accepted into the workspace; its stream is `image-<sha256>`.
package struct ImageIngested: Codable, Sendable, Equatable {
    package var image: String
    package var originalName: String
    package var width: Int
    package var height: Int
    package var channels: Int
    package var bytes: Int

    package init(image: String, originalName: String, width: Int, height: Int, channels: Int, bytes: Int) {
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
package struct ImageNamed: Codable, Sendable, Equatable {
    package var image: String
    package var originalName: String

    package init(image: String, originalName: String) {
        self.image = image
        self.originalName = originalName
    }
}

/// A dropped file that was not accepted, and where it went.
package struct FileRejected: Codable, Sendable, Equatable {
    package var originalName: String
    package var rejectedPath: String
    package var reason: String
    package var sha256: String

    package init(originalName: String, rejectedPath: String, reason: String, sha256: String) {
        self.originalName = originalName
        self.rejectedPath = rejectedPath
        self.reason = reason
        self.sha256 = sha256
    }
}

package struct PredictionMade: Codable, Sendable, Equatable {
    package var image: String
    package var model: String
    package var mask: String
    package var uncertainty: Double
    package var vesselFraction: Double
    package var ms: Int
    /// The SHA-256 of an 8-bit grey PNG of the predicted vessel probabilities (0...255), for a
    /// heat map; nil in logs written before it was stored.
    package var probability: String?
    /// The Slurm array task (`JOB_TASK`) that predicted the image in a sweep; absent for a
    /// prediction made in the daemon's process.
    package var slurmJob: String?

    package init(
        image: String, model: String, mask: String, uncertainty: Double, vesselFraction: Double, ms: Int, probability: String? = nil,
        slurmJob: String? = nil
    ) {
        self.image = image
        self.model = model
        self.mask = mask
        self.uncertainty = uncertainty
        self.vesselFraction = vesselFraction
        self.ms = ms
        self.probability = probability
        self.slurmJob = slurmJob
    }
}

/// An expert's mask for an image. `basedOnModel` is the model whose prediction the expert
/// saw (nil: drawn without one); `pixelsChanged` counts differences from that prediction.
package struct CorrectionAccepted: Codable, Sendable, Equatable {
    package var image: String
    package var mask: String
    /// The dropped file's own bytes, kept as they came: `mask` is the binarised copy.
    package var source: String
    package var originalName: String
    package var annotator: String?
    package var basedOnModel: String?
    package var basedOnMask: String?
    package var pixelsChanged: Int?
    package var vesselPixels: Int
    package var nonBinaryPixels: Int
    /// How this mask agrees with the image's latest earlier correction by another annotator;
    /// nil when there is none (and in logs written before it was recorded).
    package var disagreement: Disagreement?
    /// How the page made it (clicks, hint model, strokes); nil for a dropped file, a bare PNG,
    /// and in logs written before it was recorded.
    package var making: CorrectionMaking?

    package init(
        image: String, mask: String, source: String, originalName: String, annotator: String?, basedOnModel: String?,
        basedOnMask: String?, pixelsChanged: Int?, vesselPixels: Int, nonBinaryPixels: Int, disagreement: Disagreement? = nil,
        making: CorrectionMaking? = nil
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
        self.making = making
    }
}

/// Another annotator's earlier mask of the same image, and the Dice of the two binary masks
/// (1 when both are empty).
package struct Disagreement: Codable, Sendable, Equatable {
    package var annotator: String?
    package var mask: String
    package var dice: Double

    package init(annotator: String?, mask: String, dice: Double) {
        self.annotator = annotator
        self.mask = mask
        self.dice = dice
    }
}
