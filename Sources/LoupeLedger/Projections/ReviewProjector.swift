/// Folds the review events (images set aside and restored, verdicts on corrections) and the
/// login codes with the sessions they start into their tables; `Projector` hands them over.
/// Statements are prepared once, as there.
final class ReviewProjector {
    private let mark, unmark, review, clearReview, issueCode, redeemCode, startSession: Statement

    init(connection: Connection) throws {
        // One mark per image: skipping a flagged image (or the reverse) replaces the mark.
        mark = try connection.prepare("""
            INSERT OR ROLLBACK INTO image_marks (image, mark, reason, by, seq) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT (image) DO UPDATE SET mark = excluded.mark, reason = excluded.reason, by = excluded.by, seq = excluded.seq
            """)
        unmark = try connection.prepare("DELETE FROM image_marks WHERE image = ?1")
        review = try connection.prepare("""
            INSERT OR ROLLBACK INTO image_reviews (image, verdict, correction, annotator, by, note, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            ON CONFLICT (image) DO UPDATE SET verdict = excluded.verdict, correction = excluded.correction,
                annotator = excluded.annotator, by = excluded.by, note = excluded.note, seq = excluded.seq
            """)
        clearReview = try connection.prepare("DELETE FROM image_reviews WHERE image = ?1")
        issueCode = try connection.prepare(
            "INSERT OR ROLLBACK INTO login_codes (code_sha256, name, expires_at, issued_seq) VALUES (?1, ?2, ?3, ?4)")
        redeemCode = try connection.prepare("UPDATE OR ROLLBACK login_codes SET redeemed_seq = ?1 WHERE code_sha256 = ?2")
        startSession = try connection.prepare("INSERT OR ROLLBACK INTO sessions (token_sha256, name, seq) VALUES (?1, ?2, ?3)")
    }

    func setAside(_ e: ImageSetAside, as kind: String, seq: Int) throws {
        try mark.set(e.image, at: 1)
        try mark.set(kind, at: 2)
        try mark.set(e.reason, at: 3)
        try mark.set(e.by, at: 4)
        try mark.set(seq, at: 5)
        try mark.execute()
    }

    func restored(_ e: ImageSetAside) throws {
        try unmark.set(e.image, at: 1)
        try unmark.execute()
    }

    func reviewed(_ e: CorrectionReview, verdict: String, seq: Int) throws {
        try review.set(e.image, at: 1)
        try review.set(verdict, at: 2)
        try review.set(e.correction, at: 3)
        try review.set(e.annotator, at: 4)
        try review.set(e.by, at: 5)
        try review.set(e.note, at: 6)
        try review.set(seq, at: 7)
        try review.execute()
    }

    /// A new correction of the image awaits a new review: the verdict on the older one lapses.
    func corrected(image: String) throws {
        try clearReview.set(image, at: 1)
        try clearReview.execute()
    }

    func codeIssued(_ e: LoginCodeIssued, seq: Int) throws {
        try issueCode.set(e.codeSHA256, at: 1)
        try issueCode.set(e.name, at: 2)
        try issueCode.set(e.expiresAt, at: 3)
        try issueCode.set(seq, at: 4)
        try issueCode.execute()
    }

    func codeRedeemed(_ e: LoginCodeRedeemed, seq: Int) throws {
        try redeemCode.set(seq, at: 1)
        try redeemCode.set(e.codeSHA256, at: 2)
        try redeemCode.execute()
        try startSession.set(e.tokenSHA256, at: 1)
        try startSession.set(e.name, at: 2)
        try startSession.set(seq, at: 3)
        try startSession.execute()
    }

    static let tables = ["image_marks", "image_reviews", "login_codes", "sessions"]
}
