/// One accepted correction of an image, as the image's page lists them.
package struct CorrectionRecord: Sendable, Equatable, Codable {
    package var seq: Int
    /// When it was logged (UTC, ISO 8601), as the event's `at`.
    package var at: String
    package var annotator: String?
    /// The binarised mask's SHA-256 in objects/.
    package var mask: String
    package var basedOnModel: String?
    package var pixelsChanged: Int?
    package var disagreement: Disagreement?

    package init(seq: Int, at: String, _ accepted: CorrectionAccepted) {
        self.seq = seq
        self.at = at
        annotator = accepted.annotator
        mask = accepted.mask
        basedOnModel = accepted.basedOnModel
        pixelsChanged = accepted.pixelsChanged
        disagreement = accepted.disagreement
    }
}

/// Why a correction could not be examined for the image and model given; nothing was taken.
package enum CorrectionError: Error, Equatable, CustomStringConvertible {
    case unknownImage(String)
    /// `basedOnModel` never predicted the image, so there is no mask to count changes from.
    case notPredictedBy(model: String, image: String)
    /// What the page said about how it made the mask cannot be recorded.
    case badMaking(String)

    package var description: String {
        switch self {
        case .unknownImage(let sha):
            "no image has SHA-256 '\(EventRow.printable(sha))'"
        case .notPredictedBy(let model, let image):
            "model '\(EventRow.printable(model))' has not predicted image \(EventRow.short(image)); "
                + "a correction can be based only on a prediction of its image"
        case .badMaking(let reason):
            "how the mask was made: \(reason)"
        }
    }
}
