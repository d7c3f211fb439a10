import LoupeLedger

/// Where an image stands for the people working on it, one word: the page's queue filters.
package enum ReviewStatus: String, Sendable, CaseIterable, Codable {
    /// Waiting for a correction: never corrected, or its correction was sent back.
    case todo
    /// Corrected, and not sent back.
    case corrected
    /// Flagged ungradable, corrected or not.
    case flagged
    /// Skipped for now, corrected or not.
    case skipped
}

/// Which images `Workspace.reviewList` answers. Every field left nil lets every image through.
package struct ReviewFilter: Sendable, Equatable {
    package var status: ReviewStatus?
    /// The projection's own state (pending, predicted, corrected), as `/images?state=` took it
    /// before review existed.
    package var state: ImageState?
    /// Images this annotator corrected at least once (`.some(nil)`: the open lab's local user).
    package var correctedBy: String??
    /// Part of the image's name, any case.
    package var nameContains: String?

    package init(status: ReviewStatus? = nil, state: ImageState? = nil, correctedBy: String?? = nil, nameContains: String? = nil) {
        self.status = status
        self.state = state
        self.correctedBy = correctedBy
        self.nameContains = nameContains
    }
}

/// An image with what review knows of it.
package struct ReviewedImage: Sendable, Equatable {
    package var image: ImageRecord
    package var status: ReviewStatus
    package var mark: ImageMarkRecord?
    package var review: ReviewRecord?
}

extension Workspace {
    /// The images that pass `filter`, oldest first, with their marks and verdicts.
    package func reviewList(_ filter: ReviewFilter = ReviewFilter()) throws -> [ReviewedImage] {
        let marks = try projections.marks(), reviews = try projections.reviews()
        let correctedBy = try filter.correctedBy.map { try ledger.imagesCorrected(by: $0) }
        let needle = filter.nameContains?.lowercased()
        return try projections.images(state: filter.state).compactMap { image in
            if let correctedBy, !correctedBy.contains(image.sha) { return nil }
            if let needle, !needle.isEmpty, !image.name.lowercased().contains(needle) { return nil }
            let reviewed = Self.reviewed(image, mark: marks[image.sha], review: reviews[image.sha])
            if let status = filter.status, reviewed.status != status { return nil }
            return reviewed
        }
    }

    /// Images whose correction a reviewer sent back, or that someone flagged ungradable.
    func untrustedImages() throws -> Set<String> {
        let sentBack = try projections.reviews().filter { $0.value.verdict == "sent_back" }.keys
        let flagged = try projections.marks().filter { $0.value.mark == "flagged" }.keys
        return Set(sentBack).union(flagged)
    }

    /// Images with their marks and verdicts, in the order given.
    package func reviewed(_ images: [ImageRecord]) throws -> [ReviewedImage] {
        let marks = try projections.marks(), reviews = try projections.reviews()
        return images.map { Self.reviewed($0, mark: marks[$0.sha], review: reviews[$0.sha]) }
    }

    private static func reviewed(_ image: ImageRecord, mark: ImageMarkRecord?, review: ReviewRecord?) -> ReviewedImage {
        let status: ReviewStatus = switch mark?.mark {
        case "flagged": .flagged
        case "skipped": .skipped
        default: image.state != .corrected || review?.verdict == "sent_back" ? .todo : .corrected
        }
        return ReviewedImage(image: image, status: status, mark: mark, review: review)
    }
}
