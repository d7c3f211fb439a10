import Foundation
import LoupeLedger
import LoupeVision
import Testing
@testable import LoupeLab

/// Review: images set aside and restored, comments, reviewers' verdicts, and the lists the page
/// filters, each an event that a replay rebuilds.
@Suite struct ReviewTests {
    /// Five images; im0 corrected by ah, im1 by bb then ah, the others not.
    static func lab() throws -> (Workspace, [String]) {
        let (lab, shas) = try TrainingPlanTests.lab(images: 5, corrected: 0)
        for (index, name) in [(0, "im0.ah.png"), (1, "im1.bb.png"), (1, "im1.ah.png")] {
            _ = try lab.ingestCorrection(at: try drop(try ImageCodec.encodePNG(mask(seed: index)), as: name, into: lab.corrections))
        }
        return (lab, shas)
    }

    static func names(_ lab: Workspace, _ filter: ReviewFilter) throws -> [String] {
        try lab.reviewList(filter).map(\.image.name)
    }

    @Test func skippedAndFlaggedImagesLeaveTheToDoListUntilRestored() throws {
        let (lab, shas) = try Self.lab()
        #expect(try Self.names(lab, ReviewFilter(status: .todo)) == ["im2.png", "im3.png", "im4.png"])
        let skipped = try lab.skip(image: shas[2], by: "ana", reason: "  needs the second photograph \n")
        try lab.flag(image: shas[3], by: "bob", reason: "out of focus")
        #expect(try Self.names(lab, ReviewFilter(status: .todo)) == ["im4.png"])
        #expect(try Self.names(lab, ReviewFilter(status: .skipped)) == ["im2.png"])
        #expect(try Self.names(lab, ReviewFilter(status: .flagged)) == ["im3.png"])
        let entry = try #require(try lab.reviewList(ReviewFilter(status: .skipped)).first)
        #expect(entry.mark?.mark == "skipped" && entry.mark?.by == "ana" && entry.mark?.seq == skipped)
        #expect(entry.mark?.reason == "needs the second photograph", "the reason is trimmed")
        #expect(try lab.toDo(limit: 10, excluding: []).images.map(\.name) == ["im4.png"])
        #expect(try lab.toDo(limit: 10, excluding: []).total == 1)

        try lab.flag(image: shas[2], by: "bob", reason: "blurred after all")
        #expect(try Self.names(lab, ReviewFilter(status: .flagged)) == ["im2.png", "im3.png"], "a new mark replaces the old")
        try lab.restore(image: shas[2], by: "ana")
        #expect(try Self.names(lab, ReviewFilter(status: .todo)) == ["im2.png", "im4.png"])
        #expect(throws: ReviewError.notSetAside(image: "im2.png")) { try lab.restore(image: shas[2], by: "ana") }
        let summaries = try lab.history(of: "im2").events.map(\.summary).suffix(3)
        #expect(Array(summaries) == ["skipped by ana: needs the second photograph", "flagged ungradable by bob: blurred after all",
                                     "back on the to-do list by ana"])
        #expect(try lab.replayDifferences() == [])
    }

    @Test func aSentBackCorrectionHeadsTheToDoListWithItsNoteUntilANewCorrection() throws {
        let (lab, shas) = try Self.lab()
        #expect(try Self.names(lab, ReviewFilter(status: .corrected)) == ["im0.png", "im1.png"])
        try lab.review(image: shas[1], verdict: .sendBack, by: "rev", note: "two capillaries missed")
        try lab.review(image: shas[0], verdict: .accept, by: "rev", note: "")
        let sent = try #require(try lab.reviewList(ReviewFilter(status: .todo)).first)
        #expect(sent.image.name == "im1.png")
        #expect(sent.review?.verdict == "sent_back" && sent.review?.note == "two capillaries missed" && sent.review?.annotator == "ah")
        #expect(try lab.toDo(limit: 10, excluding: []).images.map(\.name) == ["im1.png", "im2.png", "im3.png", "im4.png"])
        #expect(try lab.toDo(limit: 2, excluding: [shas[1]]).images.map(\.name) == ["im2.png", "im3.png"], "another's claim holds")
        #expect(try lab.reviewList(ReviewFilter(status: .corrected)).map { $0.review?.verdict } == ["accepted"])

        _ = try lab.ingestCorrection(at: try drop(try ImageCodec.encodePNG(mask(seed: 3)), as: "im1.ah.png", into: lab.corrections))
        let again = try #require(try lab.reviewList(ReviewFilter(status: .corrected)).last)
        #expect(again.image.name == "im1.png" && again.review == nil, "a new correction awaits a new verdict")
        #expect(try lab.replayDifferences() == [])
    }

    @Test func reviewersJudgeOthersCorrectionsAndSendBackOnlyWithANote() throws {
        let (lab, shas) = try Self.lab()
        #expect(throws: ReviewError.ownCorrection("ah")) { try lab.review(image: shas[1], verdict: .accept, by: "ah", note: "") }
        #expect(throws: ReviewError.badText("note", "is empty")) { try lab.review(image: shas[1], verdict: .sendBack, by: "rev", note: " ") }
        #expect(throws: ReviewError.noCorrection(image: "im2.png")) { try lab.review(image: shas[2], verdict: .accept, by: "rev", note: "") }
        let first = try #require(try lab.corrections(ofImage: shas[1]).first)
        try lab.review(image: shas[1], correction: first.seq, verdict: .accept, by: "rev", note: "fine")
        let review = try #require(try lab.reviewList(ReviewFilter(status: .corrected))[1].review)
        #expect(review.verdict == "accepted" && review.correction == first.seq && review.annotator == "bb")
        let head = try lab.headSeq()
        #expect(review.by == "rev" && review.note == "fine" && review.seq == head)
        #expect(throws: ReviewError.unknownCorrection(image: "im1.png", seq: 9999)) {
            try lab.review(image: shas[1], correction: 9999, verdict: .accept, by: "rev", note: "")
        }
    }

    @Test func sentBackAndFlaggedCorrectionsAreNotLearntFrom() throws {
        let (lab, shas) = try Self.lab()
        #expect(Set(try lab.planTraining().training.map(\.image)) == [shas[0], shas[1]])
        try lab.review(image: shas[1], verdict: .sendBack, by: "rev", note: "capillaries missed")
        try lab.flag(image: shas[0], by: "rev", reason: "cut off")
        #expect(try lab.planTraining().training.isEmpty && lab.planTraining().validation.isEmpty)
        try lab.review(image: shas[1], verdict: .accept, by: "rev", note: "")
        try lab.restore(image: shas[0], by: "rev")
        #expect(Set(try lab.planTraining().training.map(\.image)) == [shas[0], shas[1]], "accepted and restored, they train again")
    }

    @Test func commentsAreKeptInOrderAndHostileTextIsRefused() throws {
        let (lab, shas) = try Self.lab()
        try lab.comment(image: shas[0], by: "ana", text: "faint nasal arcade")
        try lab.comment(image: shas[0], by: nil, text: "line one\nline two")
        #expect(try lab.comments(ofImage: shas[0]).map(\.text) == ["faint nasal arcade", "line one\nline two"])
        #expect(try lab.comments(ofImage: shas[0]).map(\.by) == ["ana", nil])
        let before = try lab.headSeq()
        #expect(throws: ReviewError.badText("comment", "contains a control character (U+1B)")) {
            try lab.comment(image: shas[0], by: "ana", text: "a\u{1b}[2Jb")
        }
        #expect(throws: ReviewError.badText("reason", "contains a control character (U+A)")) {
            try lab.skip(image: shas[0], by: "ana", reason: "one\ntwo")
        }
        #expect(throws: ReviewError.badText("comment", "is 4001 characters long; at most 4000 are allowed")) {
            try lab.comment(image: shas[0], by: "ana", text: String(repeating: "x", count: 4001))
        }
        #expect(throws: ReviewError.badText("reason", "is empty")) { try lab.flag(image: shas[0], by: "ana", reason: "") }
        #expect(throws: LookupError.noImage(String(repeating: "0", count: 64))) {
            try lab.skip(image: String(repeating: "0", count: 64), by: "ana", reason: "x")
        }
        #expect(try lab.headSeq() == before, "nothing refused was logged")
    }

    @Test func listsFilterByWhoCorrectedAndByName() throws {
        let (lab, _) = try Self.lab()
        #expect(try Self.names(lab, ReviewFilter(correctedBy: .some("ah"))) == ["im0.png", "im1.png"])
        #expect(try Self.names(lab, ReviewFilter(correctedBy: .some("bb"))) == ["im1.png"])
        #expect(try Self.names(lab, ReviewFilter(correctedBy: .some("zz"))) == [])
        #expect(try Self.names(lab, ReviewFilter(correctedBy: .some(nil))) == [], "nobody corrected without a name")
        #expect(try Self.names(lab, ReviewFilter(nameContains: "IM3")) == ["im3.png"])
        #expect(try Self.names(lab, ReviewFilter(state: .pending)) == ["im2.png", "im3.png", "im4.png"], "the old states still filter")
        #expect(try Self.names(lab, ReviewFilter(status: .todo, nameContains: "%")) == [], "no wildcard")
    }
}

/// Login codes: issued to annotators, exchanged once within their lifetime for a session token
/// of the annotator's role, which a new token for the annotator ends.
@Suite struct LoginCodeTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func aCodeSignsInOnceWithTheAnnotatorsRole() throws {
        let (_, lab) = try makeLab()
        try lab.addAnnotator(name: "rev", role: .reviewer)
        let (code, expires) = try lab.issueLoginCode(name: "rev", now: Self.now)
        #expect(code.count == 14 && code.split(separator: "-").count == 3)
        #expect(expires == Self.now.addingTimeInterval(15 * 60))
        let typed = code.lowercased().replacingOccurrences(of: "-", with: " ")
        let token = try lab.redeemLoginCode(name: "rev", code: typed, now: Self.now.addingTimeInterval(60))
        #expect(token.count == 64)
        #expect(try lab.identity(forToken: token) == Identity(name: "rev", role: .reviewer))
        #expect(throws: LoginCodeError.used) { try lab.redeemLoginCode(name: "rev", code: code, now: Self.now.addingTimeInterval(61)) }
        let logged = try lab.events(type: .loginCodeIssued).map(\.payload) + lab.events(type: .loginCodeRedeemed).map(\.payload)
        #expect(!logged.contains { $0.contains(code) || $0.contains(token) }, "only hashes are logged")
        #expect(try lab.replayDifferences() == [])

        try lab.addAnnotator(name: "rev", role: .annotator)
        #expect(try lab.identity(forToken: token) == nil, "a new token ends the sessions of the old one")
    }

    @Test func wrongExpiredAndOtherNamesCodesAreRefused() throws {
        let (_, lab) = try makeLab()
        try lab.addAnnotator(name: "ana")
        try lab.addAnnotator(name: "bob")
        let (code, _) = try lab.issueLoginCode(name: "ana", now: Self.now)
        #expect(throws: LoginCodeError.refused) { try lab.redeemLoginCode(name: "bob", code: code, now: Self.now) }
        #expect(throws: LoginCodeError.refused) { try lab.redeemLoginCode(name: "ana", code: "0000-0000-0000", now: Self.now) }
        #expect(throws: LoginCodeError.refused) { try lab.redeemLoginCode(name: "ana", code: String(repeating: "A", count: 100_000), now: Self.now) }
        #expect(throws: LoginCodeError.refused) { try lab.redeemLoginCode(name: "ana", code: "\u{0}\u{1b}", now: Self.now) }
        #expect(throws: LoginCodeError.expired) { try lab.redeemLoginCode(name: "ana", code: code, now: Self.now.addingTimeInterval(15 * 60)) }
        #expect(throws: LoginCodeError.unknownAnnotator("zed")) { try lab.issueLoginCode(name: "zed", now: Self.now) }
        #expect(try lab.events(type: .loginCodeRedeemed).isEmpty)
    }
}
