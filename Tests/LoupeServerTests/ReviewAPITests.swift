import Foundation
import LoupeLab
import LoupeVision
import Testing

/// Review through HTTP against a real `loupe run`: the filtered image lists, skip, flag,
/// restore, comments, reviewers' verdicts and two annotators' masks, with the roles each needs
/// and hostile bodies refused before anything is logged.
@Suite(.serialized) struct ReviewAPITests {
    /// A lab with ana and bob (annotators), rev (reviewer) and reader; im1 corrected by ana then
    /// bob, im2 and im3 not.
    static func lab() async throws -> (ServerHarness, [String: String]) {
        var tokens: [String: String] = [:]
        let lab = try ServerHarness { root in
            let lab = try Workspace(at: root)
            for (name, role) in [("ana", Role.annotator), ("bob", .annotator), ("rev", .reviewer), ("reader", .reader)] {
                tokens[name] = try lab.addAnnotator(name: name, role: role)
            }
        }
        for seed in 1...3 {
            let reply = try await lab.request("POST", "/api/v1/images?name=im\(seed).png", body: try photoPNG(seed: seed),
                                              contentType: "image/png", token: tokens["ana"])
            #expect(reply.status == 201, "\(reply.text)")
        }
        for (who, offset) in [("ana", 13), ("bob", 16)] {
            let mask = try maskPNG { x, y in abs(x - offset - y / 3) < 2 }
            let reply = try await lab.request("POST", "/api/v1/images/im1/corrections", body: mask, contentType: "image/png", token: tokens[who])
            #expect(reply.status == 201, "\(reply.text)")
            // Saving claims the image; the next annotator may correct it once it is let go.
            #expect(try await lab.request("DELETE", "/api/v1/images/im1/claim", token: tokens[who]).status == 204)
        }
        return (lab, tokens)
    }

    static func post(_ lab: ServerHarness, _ path: String, _ json: String, token: String?) async throws -> Reply {
        try await lab.request("POST", path, body: Array(json.utf8), contentType: "application/json", token: token)
    }

    static func names(_ lab: ServerHarness, _ query: String, token: String?) async throws -> [String] {
        let reply = try await lab.request("GET", "/api/v1/images?\(query)", token: token)
        #expect(reply.status == 200, "\(query): \(reply.text)")
        return (reply.json["items"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    }

    @Test func filtersSkipFlagRestoreAndComment() async throws {
        let (lab, tokens) = try await Self.lab()
        let ana = tokens["ana"], reader = tokens["reader"]
        #expect(try await Self.names(lab, "state=todo", token: reader) == ["im2.png", "im3.png"])
        #expect(try await Self.names(lab, "state=corrected", token: reader) == ["im1.png"])
        #expect(try await Self.names(lab, "by=me", token: ana) == ["im1.png"])
        #expect(try await Self.names(lab, "by=me", token: reader) == [])
        #expect(try await Self.names(lab, "by=bob", token: reader) == ["im1.png"])
        #expect(try await Self.names(lab, "q=M3", token: reader) == ["im3.png"])
        // The old states still answer; a training may be predicting them meanwhile, and an image
        // only ever moves from pending to predicted, so the two lists together hold both.
        let pending = try await Self.names(lab, "state=pending", token: reader)
        let predicted = try await Self.names(lab, "state=predicted", token: reader)
        #expect(Set(pending + predicted) == ["im2.png", "im3.png"])

        let skipped = try await Self.post(lab, "/api/v1/images/im2/skip", #"{"reason": "needs the second photograph"}"#, token: ana)
        let head = try lab.lab().headSeq()
        #expect(skipped.status == 201 && skipped.json["seq"] as? Int == head, "\(skipped.text)")
        #expect(try await Self.post(lab, "/api/v1/images/im3/flag", #"{"reason": "out of focus"}"#, token: ana).status == 201)
        #expect(try await Self.names(lab, "state=todo", token: reader) == [])
        #expect(try await Self.names(lab, "state=skipped", token: reader) == ["im2.png"])
        let flagged = try await lab.request("GET", "/api/v1/images?state=flagged", token: reader)
        let item = try #require((flagged.json["items"] as? [[String: Any]])?.first)
        #expect(item["status"] as? String == "flagged")
        #expect(item["setAside"] as? [String: String] == ["kind": "flagged", "reason": "out of focus", "by": "ana"])
        let queue = try await lab.request("GET", "/api/v1/queue", token: reader)
        #expect((queue.json["items"] as? [[String: Any]])?.isEmpty == true && queue.json["total"] as? Int == 0, "\(queue.text)")

        #expect(try await Self.post(lab, "/api/v1/images/im2/restore", "{}", token: ana).status == 201)
        #expect(try await Self.post(lab, "/api/v1/images/im2/restore", "{}", token: ana).status == 409, "not set aside any more")
        #expect(try await Self.names(lab, "state=todo", token: reader) == ["im2.png"])

        #expect(try await Self.post(lab, "/api/v1/images/im2/comments", #"{"text": "faint arcade"}"#, token: ana).status == 201)
        let detail = try await lab.request("GET", "/api/v1/images/im2", token: reader)
        let comments = detail.json["comments"] as? [[String: Any]] ?? []
        #expect(comments.map { $0["text"] as? String } == ["faint arcade"] && comments.first?["by"] as? String == "ana")
        #expect(detail.json["status"] as? String == "todo")
        #expect(try lab.lab().replayDifferences() == [])
    }

    @Test func reviewersAcceptOrSendBackAndOthersAreRefused() async throws {
        let (lab, tokens) = try await Self.lab()
        let sendBack = #"{"verdict": "send_back", "note": "two capillaries missed"}"#
        #expect(try await Self.post(lab, "/api/v1/images/im1/review", sendBack, token: tokens["ana"]).errorCode == "forbidden")
        #expect(try await Self.post(lab, "/api/v1/images/im1/review", sendBack, token: tokens["reader"]).status == 403)
        #expect(try await Self.post(lab, "/api/v1/images/im2/skip", #"{"reason": "x"}"#, token: tokens["reader"]).status == 403)
        #expect(try await Self.post(lab, "/api/v1/images/im2/review", sendBack, token: tokens["rev"]).status == 409, "nothing to review")
        #expect(try await Self.post(lab, "/api/v1/images/im1/review", #"{"verdict": "send_back"}"#, token: tokens["rev"]).status == 400)
        #expect(try await Self.post(lab, "/api/v1/images/im1/review", #"{"verdict": "maybe"}"#, token: tokens["rev"]).status == 400)

        #expect(try await Self.post(lab, "/api/v1/images/im1/review", sendBack, token: tokens["rev"]).status == 201)
        let queue = try await lab.request("GET", "/api/v1/queue", token: tokens["ana"])
        let first = try #require((queue.json["items"] as? [[String: Any]])?.first)
        #expect(first["name"] as? String == "im1.png", "a sent-back image heads the to-do list")
        #expect((first["review"] as? [String: Any])?["note"] as? String == "two capillaries missed")
        #expect((first["review"] as? [String: Any])?["annotator"] as? String == "bob")
        #expect(try await Self.names(lab, "state=todo", token: tokens["ana"]) == ["im1.png", "im2.png", "im3.png"])

        #expect(try await Self.post(lab, "/api/v1/images/im1/review", #"{"verdict": "accept"}"#, token: tokens["rev"]).status == 201)
        #expect(try await Self.names(lab, "state=corrected", token: tokens["ana"]) == ["im1.png"])
        let events = try lab.lab().events(type: .correctionApproved)
        #expect(events.map(\.summary) == ["bob's correction accepted by rev"])
    }

    @Test func twoAnnotatorsMasksAreServedApart() async throws {
        let (lab, tokens) = try await Self.lab()
        let reader = tokens["reader"]
        let ana = try await lab.request("GET", "/api/v1/images/im1/correction.png?annotator=ana", token: reader)
        let bob = try await lab.request("GET", "/api/v1/images/im1/correction.png?annotator=bob", token: reader)
        let latest = try await lab.request("GET", "/api/v1/images/im1/correction.png", token: reader)
        #expect(ana.status == 200 && bob.status == 200)
        #expect(ana.body != bob.body && latest.body == bob.body)
        let corrections = try lab.lab().corrections(ofImage: try lab.lab().image(named: "im1").sha)
        try #require(corrections.count == 2)
        #expect(ana.headers["etag"] == "\"\(corrections[0].mask)\"" && bob.headers["etag"] == "\"\(corrections[1].mask)\"")
        #expect(corrections[1].disagreement?.annotator == "ana", "the lab measured their disagreement")
        let nobody = try await lab.request("GET", "/api/v1/images/im1/correction.png?annotator=zed", token: reader)
        #expect(nobody.status == 404 && nobody.errorCode == "not_found")
    }

    @Test func hostileBodiesAreRefusedAndNothingIsLogged() async throws {
        let (lab, tokens) = try await Self.lab()
        let ana = tokens["ana"]
        let cases: [(String, String, Int)] = [
            ("/api/v1/images/im2/skip", #"{"reason": 42}"#, 400),
            ("/api/v1/images/im2/skip", #"{"reason": ["a"]}"#, 400),
            ("/api/v1/images/im2/skip", #"{}"#, 400),
            ("/api/v1/images/im2/skip", #"{"reason": "   "}"#, 400),
            ("/api/v1/images/im2/skip", #"{"reason": "a\u001b[2Jb"}"#, 400),
            ("/api/v1/images/im2/flag", #"{"reason": "line\nbreak"}"#, 400),
            ("/api/v1/images/im2/comments", #"{"text": "bell\u0007"}"#, 400),
            ("/api/v1/images/im2/comments", "{\"text\": \"\(String(repeating: "x", count: 4001))\"}", 400),
            ("/api/v1/images/im2/comments", "{\"text\": \"\(String(repeating: "x", count: 200_000))\"}", 413),
            ("/api/v1/images/im2/comments", "not json", 400),
            ("/api/v1/images/im9/skip", #"{"reason": "x"}"#, 404),
            ("/api/v1/images/\(String(repeating: "f", count: 64))/comments", #"{"text": "x"}"#, 404),
        ]
        for (path, body, status) in cases {
            let reply = try await Self.post(lab, path, body, token: ana)
            #expect(reply.status == status, "\(path) \(body.prefix(60)): \(reply.status) \(reply.text.prefix(200))")
        }
        let wrongType = try await lab.request("POST", "/api/v1/images/im2/skip", body: Array("reason=x".utf8),
                                              contentType: "application/x-www-form-urlencoded", token: ana)
        #expect(wrongType.status == 415)
        #expect(try await lab.request("GET", "/api/v1/images?state=done", token: ana).status == 400)
        #expect(try await lab.request("GET", "/api/v1/images?by=%1B", token: ana).status == 400)
        #expect(try await lab.request("GET", "/api/v1/images?q=\(String(repeating: "a", count: 201))", token: ana).status == 400)
        // The daemon may be training meanwhile: what counts is that no review event was logged.
        let review: [EventKind] = [.imageSkipped, .imageFlagged, .imageRestored, .imageCommented, .correctionApproved, .correctionSentBack]
        #expect(try review.flatMap { try lab.lab().events(type: $0) }.isEmpty, "nothing refused was logged")
    }
}
