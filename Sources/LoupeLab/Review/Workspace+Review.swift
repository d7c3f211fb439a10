import LoupeLedger

/// What a reviewer decides about a correction.
package enum ReviewVerdict: String, Sendable, CaseIterable {
    case accept
    /// Back to the to-do list, with a note for whoever corrects it next.
    case sendBack = "send_back"
}

extension Workspace {
    /// Takes `image` (a full SHA-256) off the to-do list for now, with why. A skipped image
    /// stays skipped, for every annotator, until restored. Returns the event's seq.
    ///
    ///     try lab.skip(image: sha, by: "ana", reason: "needs the second photograph")
    @discardableResult
    package func skip(image sha: String, by: String?, reason: String) throws -> Int {
        let reason = try ReviewText.validate(reason, "reason", maxLength: ReviewText.maxReasonLength)
        return try appendReview(.imageSkipped(ImageSetAside(image: try known(sha), by: by, reason: reason)), image: sha)
    }

    /// Marks `image` ungradable (blurred, cut off, not a fundus) with why: off the to-do list
    /// until restored.
    @discardableResult
    package func flag(image sha: String, by: String?, reason: String) throws -> Int {
        let reason = try ReviewText.validate(reason, "reason", maxLength: ReviewText.maxReasonLength)
        return try appendReview(.imageFlagged(ImageSetAside(image: try known(sha), by: by, reason: reason)), image: sha)
    }

    /// Puts a skipped or flagged image back on the to-do list.
    @discardableResult
    package func restore(image sha: String, by: String?, reason: String = "") throws -> Int {
        let reason = try ReviewText.validate(reason, "reason", maxLength: ReviewText.maxReasonLength, required: false)
        guard try projections.marks()[try known(sha)] != nil else { throw ReviewError.notSetAside(image: try imageName(sha)) }
        return try appendReview(.imageRestored(ImageSetAside(image: sha, by: by, reason: reason)), image: sha)
    }

    @discardableResult
    package func comment(image sha: String, by: String?, text: String) throws -> Int {
        let text = try ReviewText.validate(text, "comment", maxLength: ReviewText.maxCommentLength, multiline: true)
        return try appendReview(.imageCommented(ImageComment(image: try known(sha), by: by, text: text)), image: sha)
    }

    /// A reviewer's verdict on a correction of `image`: its latest one, or the one logged at
    /// `correction`. Sending back puts the image on the to-do list again with `note`, which is
    /// then required; the verdict lapses when a newer correction arrives.
    @discardableResult
    package func review(image sha: String, correction seq: Int? = nil, verdict: ReviewVerdict, by: String?, note: String) throws -> Int {
        let note = try ReviewText.validate(note, "note", maxLength: ReviewText.maxReasonLength, required: verdict == .sendBack)
        let all = try corrections(ofImage: try known(sha))
        guard let latest = all.last else { throw ReviewError.noCorrection(image: try imageName(sha)) }
        var reviewed = latest
        if let seq {
            guard let chosen = all.first(where: { $0.seq == seq }) else { throw ReviewError.unknownCorrection(image: try imageName(sha), seq: seq) }
            reviewed = chosen
        }
        if let by, reviewed.annotator == by { throw ReviewError.ownCorrection(by) }
        let payload = CorrectionReview(image: sha, correction: reviewed.seq, annotator: reviewed.annotator, by: by, note: note)
        return try appendReview(verdict == .accept ? .correctionApproved(payload) : .correctionSentBack(payload), image: sha)
    }

    /// Every comment on the image, oldest first.
    package func comments(ofImage sha: String) throws -> [CommentRecord] {
        try ledger.events(inStream: "image-\(sha)", type: .imageCommented).compactMap { row in
            guard case .imageCommented(let comment) = try row.decoded() else { return nil }
            return CommentRecord(at: row.at, by: comment.by, text: comment.text)
        }
    }

    /// `sha` when an image has it; throws `LookupError.noImage` otherwise.
    private func known(_ sha: String) throws -> String {
        guard try projections.image(sha: sha) != nil else { throw LookupError.noImage(sha) }
        return sha
    }

    private func imageName(_ sha: String) throws -> String {
        try projections.image(sha: sha)?.name ?? sha
    }

    /// One event on the image's stream. Its id is made from the head it extends, as for the
    /// operator's controls: a person may skip, restore and skip again.
    private func appendReview(_ event: LedgerEvent, image sha: String) throws -> Int {
        let next = try ledger.head().seq + 1
        return try ledger.append(PendingEvent(stream: "image-\(sha)", eventID: "review:\(sha):\(next)", event: event)).seq
    }
}

/// One comment, as an image's page lists them.
package struct CommentRecord: Sendable, Equatable, Codable {
    /// When it was logged (UTC, ISO 8601).
    package var at: String
    package var by: String?
    package var text: String
}
