/// An image set aside from the to-do list, or put back on it: skipped (for now), flagged
/// ungradable, or restored. Stream `image-<sha256>`. `by` is the annotator's name (nil from an
/// open lab); `reason` is the person's own words, required to set aside, optional to restore.
package struct ImageSetAside: Codable, Sendable, Equatable {
    package var image: String
    package var by: String?
    package var reason: String

    package init(image: String, by: String?, reason: String) {
        self.image = image
        self.by = by
        self.reason = reason
    }
}

/// A remark about an image for the people who work on it. Stream `image-<sha256>`.
package struct ImageComment: Codable, Sendable, Equatable {
    package var image: String
    package var by: String?
    package var text: String

    package init(image: String, by: String?, text: String) {
        self.image = image
        self.by = by
        self.text = text
    }
}

/// A reviewer's verdict on one correction of an image: accepted, or sent back to the to-do
/// list with a note. `correction` is the seq of the CorrectionAccepted reviewed, `annotator`
/// whose it was. Stream `image-<sha256>`.
package struct CorrectionReview: Codable, Sendable, Equatable {
    package var image: String
    package var correction: Int
    package var annotator: String?
    package var by: String?
    package var note: String

    package init(image: String, correction: Int, annotator: String?, by: String?, note: String) {
        self.image = image
        self.correction = correction
        self.annotator = annotator
        self.by = by
        self.note = note
    }
}
