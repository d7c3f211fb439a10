/// Read side of the review tables: images set aside, verdicts on corrections, login codes.
extension Projections {
    /// Every image set aside (skipped or flagged), by image SHA-256.
    package func marks() throws -> [String: ImageMarkRecord] {
        let statement = try connection.cached("SELECT image, mark, reason, by, seq FROM image_marks")
        var marks: [String: ImageMarkRecord] = [:]
        while try statement.step() {
            marks[statement.text(0)] = ImageMarkRecord(
                mark: statement.text(1), reason: statement.text(2), by: statement.optionalText(3), seq: statement.int(4))
        }
        return marks
    }

    /// The standing verdict on each image's latest correction, by image SHA-256.
    package func reviews() throws -> [String: ReviewRecord] {
        let statement = try connection.cached("SELECT image, verdict, correction, annotator, by, note, seq FROM image_reviews")
        var reviews: [String: ReviewRecord] = [:]
        while try statement.step() {
            reviews[statement.text(0)] = ReviewRecord(
                verdict: statement.text(1), correction: statement.int(2), annotator: statement.optionalText(3),
                by: statement.optionalText(4), note: statement.text(5), seq: statement.int(6))
        }
        return reviews
    }

    package func loginCode(sha256: String) throws -> LoginCodeRecord? {
        let statement = try connection.cached("SELECT name, expires_at, issued_seq, redeemed_seq FROM login_codes WHERE code_sha256 = ?")
        defer { statement.reset() }
        try statement.bind(sha256)
        guard try statement.step() else { return nil }
        return LoginCodeRecord(name: statement.text(0), expiresAt: statement.text(1), issuedSeq: statement.int(2), redeemedSeq: statement.optionalInt(3))
    }
}

package struct ImageMarkRecord: Sendable, Equatable, Codable {
    /// `skipped` or `flagged`.
    package var mark: String
    package var reason: String
    package var by: String?
    package var seq: Int
}

package struct ReviewRecord: Sendable, Equatable, Codable {
    /// `accepted` or `sent_back`.
    package var verdict: String
    /// The seq of the CorrectionAccepted reviewed.
    package var correction: Int
    package var annotator: String?
    package var by: String?
    package var note: String
    package var seq: Int
}

package struct LoginCodeRecord: Sendable, Equatable {
    package var name: String
    package var expiresAt: String
    package var issuedSeq: Int
    package var redeemedSeq: Int?
}

extension Ledger {
    /// The images `annotator` (nil: the open lab's local user) has corrected at least once,
    /// by image SHA-256, from the type index and each payload's annotator.
    package func imagesCorrected(by annotator: String?) throws -> Set<String> {
        let statement = try connection.prepare(
            "SELECT DISTINCT stream FROM events WHERE type = ? AND json_extract(payload, '$.annotator') IS ?")
        try statement.bind(EventKind.correctionAccepted.rawValue, annotator)
        var images: Set<String> = []
        while try statement.step() { images.insert(String(statement.text(0).dropFirst("image-".count))) }
        return images
    }
}
