import Foundation
import Testing
@testable import LoupeLedger

/// The review events and login codes in their tables, live and replayed alike; a log written
/// before migration 0007 gains empty tables, which is what its replay makes.
@Suite struct ReviewProjectionTests {
    static func event(_ image: Int, _ id: String, _ event: LedgerEvent) -> PendingEvent {
        PendingEvent(stream: "image-\(sha(image))", eventID: id, event: event)
    }

    @Test func marksAndVerdictsFollowTheirEventsAndAgreeWithReplay() throws {
        let folder = TemporaryFolder()
        let path = "\(folder.path)/l.sqlite"
        let ledger = try Ledger(path: path)
        try ledger.append([ingested(1), ingested(2)])
        try ledger.append(Self.event(1, "s1", .imageSkipped(ImageSetAside(image: sha(1), by: "ana", reason: "later"))))
        try ledger.append(Self.event(2, "f2", .imageFlagged(ImageSetAside(image: sha(2), by: nil, reason: "blurred"))))
        #expect(try ledger.projections.marks() == [
            sha(1): ImageMarkRecord(mark: "skipped", reason: "later", by: "ana", seq: 3),
            sha(2): ImageMarkRecord(mark: "flagged", reason: "blurred", by: nil, seq: 4),
        ])
        try ledger.append(Self.event(1, "r1", .imageRestored(ImageSetAside(image: sha(1), by: "ana", reason: ""))))
        #expect(try ledger.projections.marks().keys.sorted() == [sha(2)])

        let correction = CorrectionAccepted(image: sha(1), mask: sha(9), source: sha(9), originalName: "im1.ah.png", annotator: "ah",
                                            basedOnModel: nil, basedOnMask: nil, pixelsChanged: nil, vesselPixels: 3, nonBinaryPixels: 0)
        let corrected = try ledger.append(Self.event(1, "c1", .correctionAccepted(correction))).seq
        try ledger.append(Self.event(1, "v1", .correctionSentBack(CorrectionReview(image: sha(1), correction: corrected, annotator: "ah", by: "rev", note: "more"))))
        #expect(try ledger.projections.reviews() == [
            sha(1): ReviewRecord(verdict: "sent_back", correction: corrected, annotator: "ah", by: "rev", note: "more", seq: corrected + 1),
        ])
        #expect(try ledger.imagesCorrected(by: "ah") == [sha(1)])
        #expect(try ledger.imagesCorrected(by: nil) == [])
        #expect(try Replay.differences(ledger, livePath: path) == [])
        try ledger.append(Self.event(1, "c2", .correctionAccepted(correction)))
        #expect(try ledger.projections.reviews() == [:], "a newer correction clears the verdict")
        #expect(try Replay.differences(ledger, livePath: path) == [])
    }

    @Test func aSessionCountsUntilItsAnnotatorGetsANewToken() throws {
        let folder = TemporaryFolder()
        let path = "\(folder.path)/l.sqlite"
        let ledger = try Ledger(path: path)
        try ledger.append(PendingEvent(stream: "annotators", eventID: "a1",
                                       event: .annotatorAdded(AnnotatorAdded(name: "ana", tokenSHA256: sha(1), role: "reviewer"))))
        try ledger.append(PendingEvent(stream: "annotators", eventID: "code",
                                       event: .loginCodeIssued(LoginCodeIssued(name: "ana", codeSHA256: sha(5), expiresAt: "2026-12-05T10:00:00Z"))))
        #expect(try ledger.projections.loginCode(sha256: sha(5)) == LoginCodeRecord(name: "ana", expiresAt: "2026-12-05T10:00:00Z", issuedSeq: 2, redeemedSeq: nil))
        try ledger.append(PendingEvent(stream: "annotators", eventID: "login",
                                       event: .loginCodeRedeemed(LoginCodeRedeemed(name: "ana", codeSHA256: sha(5), tokenSHA256: sha(6)))))
        #expect(try ledger.projections.loginCode(sha256: sha(5))?.redeemedSeq == 3)
        #expect(try ledger.projections.annotator(tokenSHA256: sha(6))?.name == "ana")
        #expect(try ledger.projections.annotator(tokenSHA256: sha(6))?.role == "reviewer")
        #expect(try ledger.projections.annotator(tokenSHA256: sha(1))?.name == "ana", "the token itself still works")
        #expect(try Replay.differences(ledger, livePath: path) == [])
        try ledger.append(PendingEvent(stream: "annotators", eventID: "a2",
                                       event: .annotatorAdded(AnnotatorAdded(name: "ana", tokenSHA256: sha(2), role: "reviewer"))))
        #expect(try ledger.projections.annotator(tokenSHA256: sha(6)) == nil)
    }

    @Test func aDatabaseAtVersionSixGainsEmptyReviewTablesThatAgreeWithReplay() throws {
        let folder = TemporaryFolder()
        let path = "\(folder.path)/l.sqlite"
        let old = try Connection(path: path)
        for migration in Migrator.embedded.prefix(6) { try old.execute(migration.sql) }
        try old.execute("PRAGMA user_version = 6")
        let ledger = try Ledger(path: path)
        try ledger.append(ingested(1))
        #expect(Migrator.embedded[6].file == "0007_review_and_login_codes.sql")
        #expect(try ledger.projections.marks() == [:] && ledger.projections.reviews() == [:])
        #expect(try Replay.differences(ledger, livePath: path) == [])
    }
}
