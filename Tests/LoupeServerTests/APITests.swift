import Foundation
import LoupeLab
import LoupeVision
import Testing

/// The HTTP API as a client meets it: a real `loupe run` on a free port, requests over
/// loopback, and the lab's event log read back to check what each request recorded.
@Suite(.serialized) struct APITests {
    @Test func uploadQueueCorrectRetrainAndServeTheNewPrediction() async throws {
        let lab = try ServerHarness()
        for seed in 1...3 {
            let reply = try await lab.request("POST", "/api/v1/images?name=im\(seed).png", body: try photoPNG(seed: seed), contentType: "image/png")
            #expect(reply.status == 201, "\(reply.text)")
            #expect(reply.json["outcome"] as? String == "accepted")
        }
        let again = try await lab.request("POST", "/api/v1/images?name=im1.png", body: try photoPNG(seed: 1), contentType: "image/png")
        #expect(again.status == 200 && again.json["outcome"] as? String == "alreadyKnown", "\(again.text)")

        let queue = try await lab.request("GET", "/api/v1/queue?strategy=fifo")
        let items = try #require(queue.json["items"] as? [[String: Any]])
        #expect(items.compactMap { $0["name"] as? String } == ["im1.png", "im2.png", "im3.png"])
        let image = try await lab.request("GET", "/api/v1/images/im1/image.png")
        #expect(image.status == 200 && image.headers["content-type"] == "image/png")
        #expect(try ImageCodec.decode(image.body).width == 40)
        let none = try await lab.request("GET", "/api/v1/images/im1/prediction.png")
        #expect(none.status == 404 && none.errorCode == "not_found")

        for seed in 1...2 {
            let mask = try maskPNG { x, y in abs(x - (40 / 3 + seed % 7) - y / 3) < 2 }
            let reply = try await lab.request("POST", "/api/v1/images/im\(seed)/corrections", body: mask, contentType: "image/png")
            #expect(reply.status == 201, "\(reply.text)")
        }
        try lab.waitFor("a promoted model's prediction of im3") { lab in
            try lab.image(named: "im3").predictionModel != nil
        }
        let prediction = try await lab.request("GET", "/api/v1/images/im3/prediction.png")
        #expect(prediction.status == 200)
        let model = try #require(prediction.headers["x-loupe-model"])
        #expect(try lab.lab().currentModel()?.sha == model)
        let models = try await lab.request("GET", "/api/v1/models")
        #expect((models.json["items"] as? [[String: Any]])?.first?["sha"] as? String == model)
        #expect((models.json["items"] as? [[String: Any]])?.first?["state"] as? String == "serving")
        let detail = try await lab.request("GET", "/api/v1/images/im1")
        #expect(detail.json["name"] as? String == "im1.png" && (detail.json["corrections"] as? [[String: Any]])?.count == 1)

        let history = try await lab.request("GET", "/api/v1/images/im1/history")
        let types = (history.json["events"] as? [[String: Any]])?.compactMap { $0["type"] as? String } ?? []
        #expect(types.prefix(2) == ["ImageIngested", "CorrectionAccepted"])
        #expect(types.contains("TrainingStarted"), "the history names the training that learnt from im1's mask")
    }

    @Test func theOpenAPIDocumentServedIsTheOneCommitted() async throws {
        let lab = try ServerHarness()
        let served = try await lab.request("GET", "/api/v1/openapi.json")
        let committed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Static/openapi.json")
        let bytes = try Data(contentsOf: committed)
        #expect(served.status == 200 && Data(served.body) == bytes)
        let paths = (served.json["paths"] as? [String: Any])?.keys.sorted() ?? []
        #expect(paths.contains("/api/v1/images/{id}/corrections") && paths.contains("/api/v1/events"))
    }

    @Test func multipartUploadTakesTheFilePartAndItsName() async throws {
        let lab = try ServerHarness()
        let before = try await lab.request("GET", "/api/v1/queue")
        #expect((before.json["items"] as? [[String: Any]])?.isEmpty == true)
        let boundary = "loupe-test-boundary"
        var body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nignored\r\n".utf8)
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"scan 7.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
        body += try photoPNG(seed: 7)
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        let reply = try await lab.request("POST", "/api/v1/images", body: body, contentType: "multipart/form-data; boundary=\(boundary)")
        #expect(reply.status == 201, "\(reply.text)")
        #expect(try lab.lab().image(named: "scan 7").width == 40)
        let after = try await lab.request("GET", "/api/v1/queue")
        #expect((after.json["items"] as? [[String: Any]])?.first?["name"] as? String == "scan 7.png", "a cached queue ends with the head it was made at")
    }

    @Test func badRequestsGetJSONErrorsAndLoseNothing() async throws {
        let lab = try ServerHarness()
        let photo = try photoPNG(seed: 1)
        #expect(try await lab.request("POST", "/api/v1/images?name=im1.png", body: photo, contentType: "image/png").status == 201)

        let garbage = try await lab.request("POST", "/api/v1/images?name=broken.png", body: Array("not a png".utf8), contentType: "image/png")
        #expect(garbage.status == 422 && garbage.errorCode == "rejected")
        let rejectedPath = try #require((garbage.json["error"] as? [String: Any])?["rejectedPath"] as? String)
        #expect(FileManager.default.contents(atPath: "\(lab.root)/\(rejectedPath)") == Data("not a png".utf8), "refused bytes are kept")
        #expect(try lab.lab().events(type: .imageRejected).count == 1)

        let truncated = try await lab.request("POST", "/api/v1/images?name=cut.png", body: Array(photo.prefix(photo.count / 2)), contentType: "image/png")
        #expect(truncated.status == 422, "an upload is complete when it arrives: truncated is refused at once, \(truncated.text)")

        let wrongType = try await lab.request("POST", "/api/v1/images?name=a.png", body: photo, contentType: "text/plain")
        #expect(wrongType.status == 415 && wrongType.errorCode == "unsupported_media_type")
        let unnamed = try await lab.request("POST", "/api/v1/images", body: photo, contentType: "image/png")
        #expect(unnamed.status == 400 && unnamed.errorCode == "bad_request")

        let unknown = try await lab.request("GET", "/api/v1/images/im404")
        #expect(unknown.status == 404 && unknown.errorCode == "unknown_image")
        let unknownFile = try await lab.request("GET", "/api/v1/images/im1/..%2F..%2Floupe.json")
        #expect(unknownFile.status == 404)
        let page = try await lab.request("GET", "/..%2Floupe.json")
        #expect(page.status == 404 && !page.text.contains("queueStrategy"), "no request path reaches the file system")
        let badLimit = try await lab.request("GET", "/api/v1/queue?limit=-3")
        #expect(badLimit.status == 400 && badLimit.errorCode == "bad_request")
        let badStrategy = try await lab.request("GET", "/api/v1/queue?strategy=loudest")
        #expect(badStrategy.status == 400)
        let badResume = try await lab.request("GET", "/api/v1/events", headers: ["Last-Event-ID": "yesterday"])
        #expect(badResume.status == 400)

        let wrongSize = try await lab.request("POST", "/api/v1/images/im1/corrections", body: try maskPNG(width: 10, height: 10) { _, _ in false }, contentType: "image/png")
        #expect(wrongSize.status == 422 && wrongSize.errorCode == "rejected", "\(wrongSize.text)")
        #expect(wrongSize.text.contains("10x10"))
        let jpegMask = try await lab.request("POST", "/api/v1/images/im1/corrections", body: photo, contentType: "image/jpeg")
        #expect(jpegMask.status == 415)
        let huge = try await lab.request("POST", "/api/v1/images/im1/corrections", body: [UInt8](repeating: 0, count: 40 * 30 * 4 + (1 << 20) + 1), contentType: "image/png")
        #expect(huge.status == 413 && huge.errorCode == "too_large")

        let escaping = try await lab.request("POST", "/api/v1/images?name=..%2F..%2Fescape.png", body: try photoPNG(seed: 2), contentType: "image/png")
        #expect(escaping.status == 201, "\(escaping.text)")
        #expect(try lab.lab().image(named: "escape").name == "escape.png", "only the last path component is a name")
        #expect(!FileManager.default.fileExists(atPath: "\(lab.root)/../escape.png"))
        let control = try await lab.request("POST", "/api/v1/images?name=a%0Ab.png", body: try photoPNG(seed: 3), contentType: "image/png")
        #expect(control.status == 201)
        #expect(try !lab.lab().images().contains { $0.name.contains("\n") }, "control characters never reach a name")

        let staged = try FileManager.default.subpathsOfDirectory(atPath: "\(lab.root)/uploads").filter { $0.hasSuffix(".png") }
        #expect(staged.isEmpty, "no upload is left behind in staging")
    }

    @Test func eventStreamResumesAfterLastEventIDInOrder() async throws {
        let lab = try ServerHarness()
        for seed in 1...3 {
            _ = try await lab.request("POST", "/api/v1/images?name=im\(seed).png", body: try photoPNG(seed: seed), contentType: "image/png")
        }
        let head = try lab.lab().headSeq()
        let all = try SSE.read(url: lab.url + "/api/v1/events", lastEventID: 0, until: head)
        #expect(all.map(\.id) == Array(1...head), "every event once, in seq order")
        #expect(all.first?.event == "DaemonStarted")
        let resumed = try SSE.read(url: lab.url + "/api/v1/events", lastEventID: 2, until: head)
        #expect(resumed.map(\.id) == Array(3...head))
        #expect(resumed.first.map { $0.data.contains("\"seq\":3") } == true)
    }

    @Test func badListenAddressesAreRefused() throws {
        let lab = try ServerHarness()
        lab.daemon.stop()
        let (status, _, errors) = try lab.loupeWithErrors(["run", "--lab", lab.root, "--listen", "nowhere"])
        #expect(status != 0 && errors.contains("HOST:PORT"), "\(errors)")
        let (badPort, _, portErrors) = try lab.loupeWithErrors(["run", "--lab", lab.root, "--listen", "127.0.0.1:99999"])
        #expect(badPort != 0 && portErrors.contains("65535"), "\(portErrors)")
    }
}

/// Annotators, their tokens and their claims, as two people on two machines meet them.
@Suite(.serialized) struct AnnotatorAPITests {
    @Test func tokensClaimsAndASecondAnnotatorsDisagreement() async throws {
        let lab = try ServerHarness()
        let upload = try await lab.request("POST", "/api/v1/images?name=im1.png", body: try photoPNG(seed: 1), contentType: "image/png")
        #expect(upload.status == 201, "an open loopback lab takes writes without a token")
        let (added, ana) = try lab.loupe(["user", "add", "ana", "--lab", lab.root])
        let (_, bo) = try lab.loupe(["user", "add", "bo", "--lab", lab.root])
        let anaToken = ana.trimmingCharacters(in: .whitespacesAndNewlines), boToken = bo.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(added == 0 && anaToken.count == 64)

        #expect(try await lab.request("POST", "/api/v1/images/im1/claim").status == 401, "once annotators exist, writes need a token")
        let forged = try await lab.request("POST", "/api/v1/images/im1/claim", token: String(repeating: "0", count: 64))
        #expect(forged.status == 401 && forged.errorCode == "unauthorized")
        let session = try await lab.request("GET", "/api/v1/session", token: anaToken)
        #expect(session.json["annotator"] as? String == "ana" && session.json["tokensRequired"] as? Bool == true)

        #expect(try await lab.request("POST", "/api/v1/images/im1/claim", token: anaToken).status == 200)
        let taken = try await lab.request("POST", "/api/v1/images/im1/claim", token: boToken)
        #expect(taken.status == 409 && taken.errorCode == "claimed" && taken.text.contains("ana"))
        let boQueue = try await lab.request("GET", "/api/v1/queue", token: boToken)
        #expect((boQueue.json["items"] as? [[String: Any]])?.isEmpty == true, "the queue skips what someone else has open")
        let anaQueue = try await lab.request("GET", "/api/v1/queue", token: anaToken)
        #expect((anaQueue.json["items"] as? [[String: Any]])?.first?["claimedBy"] as? String == "ana")
        let early = try await lab.request("POST", "/api/v1/images/im1/corrections", body: try maskPNG { x, _ in x < 10 }, contentType: "image/png", token: boToken)
        #expect(early.status == 409)

        let first = try await lab.request("POST", "/api/v1/images/im1/corrections", body: try maskPNG { x, _ in x < 10 }, contentType: "image/png", token: anaToken)
        #expect(first.status == 201 && first.json["annotator"] as? String == "ana", "\(first.text)")
        #expect(try await lab.request("DELETE", "/api/v1/images/im1/claim", token: anaToken).status == 204)
        let second = try await lab.request("POST", "/api/v1/images/im1/corrections", body: try maskPNG { x, _ in x < 20 }, contentType: "image/png", token: boToken)
        #expect(second.status == 201, "\(second.text)")
        let disagreement = try #require(second.json["disagreement"] as? [String: Any])
        #expect(disagreement["annotator"] as? String == "ana")
        // ana drew 10 columns, bo 20 of the same 30 rows: Dice = 2 * 300 / (300 + 600).
        #expect(abs((disagreement["dice"] as? Double ?? 0) - 2.0 / 3.0) < 1e-9)

        #expect(try await lab.request("GET", "/api/v1/images/im1").status == 401, "once annotators exist, reads need a token too")
        let detail = try await lab.request("GET", "/api/v1/images/im1", token: boToken)
        let corrections = try #require(detail.json["corrections"] as? [[String: Any]])
        #expect(corrections.compactMap { $0["annotator"] as? String } == ["ana", "bo"], "the second correction is kept beside the first")
        let recorded = try lab.lab().events(type: .correctionAccepted).compactMap { row -> String? in
            guard case .correctionAccepted(let event) = try row.decoded() else { return nil }
            return event.annotator
        }
        #expect(recorded == ["ana", "bo"], "the annotator comes from the token, never from a file name")
    }

    @Test func operatorControlsAreEventsWithWhoDidThem() async throws {
        let lab = try ServerHarness()
        let (_, token) = try lab.loupe(["user", "add", "lead", "--role", "operator", "--lab", lab.root])
        let lead = token.trimmingCharacters(in: .whitespacesAndNewlines)
        let pause = try await lab.request("POST", "/api/v1/training", body: Array(#"{"action":"pause"}"#.utf8), contentType: "application/json", token: lead)
        #expect(pause.status == 202, "\(pause.text)")
        #expect(try await lab.request("GET", "/api/v1/status", token: lead).json["paused"] as? Bool == true)
        let bad = try await lab.request("POST", "/api/v1/training", body: Array(#"{"action":"explode"}"#.utf8), contentType: "application/json", token: lead)
        #expect(bad.status == 400)
        let notJSON = try await lab.request("POST", "/api/v1/training", body: Array("pause".utf8), contentType: "application/json", token: lead)
        #expect(notJSON.status == 400, "\(notJSON.text)")
        let unknown = try await lab.request("POST", "/api/v1/models/0123456789abcdef/rollback", token: lead)
        #expect(unknown.status == 404 && unknown.errorCode == "unknown_model")
        #expect(try await lab.request("POST", "/api/v1/training", body: Array(#"{"action":"resume"}"#.utf8), contentType: "application/json", token: lead).status == 202)
        let types = try lab.lab().events().map(\.type)
        #expect(types.filter { $0.hasPrefix("Training") } == ["TrainingPaused", "TrainingResumed"])
    }

    @Test func anAddressBeyondLoopbackNeedsAnnotators() throws {
        let lab = try ServerHarness()
        lab.daemon.stop()
        let (status, _, errors) = try lab.loupeWithErrors(["run", "--lab", lab.root, "--listen", "0.0.0.0:0"])
        #expect(status != 0, "a lab without tokens is never served beyond this machine")
        #expect(errors.contains("loupe user add"), "\(errors)")
    }
}
