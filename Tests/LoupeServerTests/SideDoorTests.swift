import Foundation
import LoupeHarness
import LoupeLab
import LoupeVision
import Testing
@testable import LoupeServer

/// The hostile pass over the doors beside the folders, each case against a real `loupe run`:
/// other sites' pages, Label Studio payloads that name addresses or people, sizes declared
/// before they are checked, and the faults that used to stop the daemon or answer 500.
@Suite(.serialized) struct SideDoorTests {
    static func port(_ url: String) -> Int { Int(url.split(separator: ":").last!)! }
    static let pause = Array(#"{"action": "pause"}"#.utf8)

    /// A loopback stand-in for an image server: every request gets the same PNG.
    static func imageServer(pieces: Int = 1, pause: Double = 0, declaredBytes: Int? = nil) throws -> RecordingServer {
        let png = try photoPNG(seed: 3)
        let head = "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: \(declaredBytes ?? png.count)\r\nConnection: close\r\n\r\n"
        return try RecordingServer(answer: Array(head.utf8) + png, pieces: pieces, pause: pause)
    }

    static func task(_ id: Int, _ image: String) -> [String: Any] { ["id": id, "project": 5, "data": ["image": image]] }

    static func basic(_ token: String) -> [String: String] {
        ["Authorization": "Basic \(Data("label-studio:\(token)".utf8).base64EncodedString())"]
    }

    @Test func otherSitesCannotWriteNorReadThroughAReboundName() async throws {
        let lab = try ServerHarness()
        let port = Self.port(lab.url)
        let png = try photoPNG()
        let crossSite = try await lab.request("POST", "/api/v1/images?name=a.png", body: png, contentType: "image/png",
                                              headers: ["Origin": "http://evil.example"])
        #expect(crossSite.status == 403 && crossSite.errorCode == "cross_origin", "\(crossSite.text)")
        let opaque = try await lab.request("POST", "/api/v1/training", body: Self.pause, contentType: "application/json",
                                           headers: ["Origin": "null"])
        #expect(opaque.status == 403)
        let fetchMetadata = try await lab.request("DELETE", "/api/v1/models/pin", headers: ["Sec-Fetch-Site": "cross-site"])
        #expect(fetchMetadata.status == 403)
        let plain = try await lab.request("POST", "/api/v1/training", body: Self.pause, contentType: "text/plain")
        #expect(plain.status == 415 && plain.errorCode == "unsupported_media_type", "a form-like body needs no preflight: refused")
        let rebound = try RawHTTP.exchange(port: port, RawHTTP.get("/api/v1/status", host: "evil.example:\(port)"))
        #expect(RawHTTP.status(rebound) == 421 && rebound.contains("server.allowedHosts"), "\(rebound.prefix(300))")
        #expect(try lab.lab().events(type: .trainingPaused).isEmpty && lab.lab().events(type: .imageIngested).isEmpty, "nothing was written")

        let own = try await lab.request("POST", "/api/v1/training", body: Self.pause, contentType: "application/json",
                                        headers: ["Origin": lab.url])
        #expect(own.status == 202, "the lab's own page still writes: \(own.text)")
        for host in ["127.0.0.1:\(port)", "localhost:\(port)"] {
            #expect(RawHTTP.status(try RawHTTP.exchange(port: port, RawHTTP.get("/api/v1/status", host: host))) == 200, "\(host)")
        }
    }

    @Test func aNamedHostAndOriginAreAllowedWhenTheOperatorListsThem() async throws {
        let lab = try ServerHarness(settings: ServerHarness.settings(adding: #""server": {"allowedHosts": ["loupe.lab"], "allowedOrigins": ["https://tools.lab"]}"#))
        let port = Self.port(lab.url)
        #expect(RawHTTP.status(try RawHTTP.exchange(port: port, RawHTTP.get("/api/v1/status", host: "loupe.lab:\(port)"))) == 200)
        let listed = try await lab.request("POST", "/api/v1/training", body: Self.pause, contentType: "application/json",
                                           headers: ["Origin": "https://tools.lab"])
        #expect(listed.status == 202, "\(listed.text)")
    }

    @Test func readsNeedATokenOnceTheLabHasAnnotators() async throws {
        var token = ""
        let lab = try ServerHarness { root in token = try Workspace(at: root).addAnnotator(name: "ana") }
        #expect(try await lab.request("POST", "/api/v1/images?name=im1.png", body: try photoPNG(), contentType: "image/png", token: token).status == 201)
        for path in ["/api/v1/status", "/api/v1/queue", "/api/v1/images", "/api/v1/images/im1", "/api/v1/images/im1/image.png",
                     "/api/v1/images/im1/history", "/api/v1/models", "/api/v1/events", "/ls/health"] {
            let anonymous = try await lab.request("GET", path)
            #expect(anonymous.status == 401, "\(path) answered \(anonymous.status) without a token")
        }
        let session = try await lab.request("GET", "/api/v1/session")
        #expect(session.status == 200 && session.json["tokensRequired"] as? Bool == true, "the page can still learn it must sign in")
        #expect(try await lab.request("GET", "/api/v1/images/im1/image.png", token: token).status == 200)
    }

    @Test func theLabelStudioKeyGoesOnlyToTheConfiguredLabelStudio() async throws {
        let elsewhere = try Self.imageServer()
        let lab = try ServerHarness(settings: ServerHarness.settings(adding: #""labelStudio": {"url": "http://127.0.0.1:1"}"#))
        func post(_ path: String, _ body: Any) async throws -> Reply {
            try await lab.request("POST", "/ls/\(path)", body: LabelStudioAPITests.json(body), contentType: "application/json")
        }
        let setup = try await post("setup", ["project": 5, "schema": LabelStudioAPITests.config,
                                             "hostname": "http://127.0.0.1:\(elsewhere.port)", "access_token": "the-operators-key"])
        #expect(setup.status == 200, "\(setup.text)")
        let onStudio = try await post("predict", ["project": 5, "tasks": [Self.task(1, "/data/upload/5/im.png")]])
        #expect(onStudio.status == 502 && onStudio.text.contains("127.0.0.1:1/data/upload"), "asked of the configured address: \(onStudio.text)")
        let local = try await post("predict", ["project": 5, "tasks": [Self.task(2, "http://127.0.0.1:\(elsewhere.port)/im.png")]])
        #expect(local.status == 400 && local.text.contains("allowLocalImageHosts"), "\(local.text)")
        let metadata = try await post("predict", ["project": 5, "tasks": [Self.task(3, "http://169.254.169.254/latest/meta-data")]])
        #expect(metadata.status == 400, "\(metadata.text)")
        #expect(elsewhere.received.isEmpty, "nothing, and no key, went to the address the payload named")

        let allowing = try ServerHarness(settings: ServerHarness.settings(
            adding: #""labelStudio": {"url": "http://127.0.0.1:1", "allowLocalImageHosts": true}"#))
        _ = try await allowing.request("POST", "/ls/setup", body: LabelStudioAPITests.json(
            ["project": 5, "schema": LabelStudioAPITests.config, "hostname": "http://127.0.0.1:1", "access_token": "the-operators-key"]),
            contentType: "application/json")
        let fetched = try await allowing.request("POST", "/ls/predict", body: LabelStudioAPITests.json(
            ["project": 5, "tasks": [Self.task(4, "http://127.0.0.1:\(elsewhere.port)/im.png")]]), contentType: "application/json")
        #expect(fetched.status == 503 && fetched.errorCode == "no_prediction", "taken, with no model yet: \(fetched.text)")
        let request = try #require(elsewhere.received.first)
        #expect(!request.contains("the-operators-key") && !request.lowercased().contains("authorization"), "\(request)")
    }

    @Test func aDownloadThatTricklesIsCutAtItsDeadline() async throws {
        let slow = try Self.imageServer(pieces: 40, pause: 0.5)
        let lab = try ServerHarness(settings: ServerHarness.settings(
            adding: #""labelStudio": {"allowLocalImageHosts": true, "downloadSeconds": 2}"#))
        _ = try await lab.request("POST", "/ls/setup", body: LabelStudioAPITests.json(
            ["project": 5, "schema": LabelStudioAPITests.config, "hostname": "http://127.0.0.1:1"]), contentType: "application/json")
        let answer = try await lab.request("POST", "/ls/predict", body: LabelStudioAPITests.json(
            ["project": 5, "tasks": [Self.task(1, "http://127.0.0.1:\(slow.port)/im.png")]]), contentType: "application/json")
        #expect(answer.status == 502 && answer.text.contains("took longer than 2.0 s"), "\(answer.text)")
        let uploads = (try? FileManager.default.subpathsOfDirectory(atPath: "\(lab.root)/uploads")) ?? []
        #expect(uploads.allSatisfy { !$0.hasSuffix(".png") }, "the partial download is not left behind: \(uploads)")
    }

    @Test func identityComesFromTheTokenAndClaimsHoldOnTheWebhook() async throws {
        let images = try Self.imageServer()
        var ana = "", bob = ""
        let lab = try ServerHarness(settings: ServerHarness.settings(adding: #""labelStudio": {"allowLocalImageHosts": true}"#)) { root in
            ana = try Workspace(at: root).addAnnotator(name: "ana")
            bob = try Workspace(at: root).addAnnotator(name: "bob")
        }
        let setup = try await lab.request("POST", "/ls/setup", body: LabelStudioAPITests.json(
            ["project": 5, "schema": LabelStudioAPITests.config, "hostname": "http://127.0.0.1:1"]),
            contentType: "application/json", headers: Self.basic(ana))
        #expect(setup.status == 200, "\(setup.text)")
        let task = Self.task(1, "http://127.0.0.1:\(images.port)/im.png")
        let brush = LabelStudioAPITests.brush(width: 40, height: 30) { x, _ in x == 9 }
        let asAna = LabelStudioAPITests.annotation(21, task: task, result: [brush])
        let byBob = try await lab.request("POST", "/ls/webhook", body: asAna, contentType: "application/json", headers: Self.basic(bob))
        #expect(byBob.status == 200, "\(byBob.text)")
        let accepted = try lab.lab().events(type: .correctionAccepted)
        guard case .correctionAccepted(let correction) = try #require(accepted.first).decoded() else {
            Issue.record("the first CorrectionAccepted did not decode as one")
            return
        }
        #expect(correction.annotator == "bob", "the payload's completed_by names no one: the token does")

        let image = try #require(try lab.lab().labelStudioImage(project: 5, task: 1))
        let claim = try await lab.request("POST", "/api/v1/images/\(image.sha)/claim", token: ana)
        #expect(claim.status == 200, "\(claim.text)")
        let other = LabelStudioAPITests.brush(width: 40, height: 30) { x, _ in x == 20 }
        let held = try await lab.request("POST", "/ls/webhook", body: LabelStudioAPITests.annotation(22, task: task, result: [other]),
                                         contentType: "application/json", headers: Self.basic(bob))
        #expect(held.status == 409 && held.errorCode == "claimed", "\(held.text)")
        #expect(try lab.lab().events(type: .correctionAccepted).count == 1)
    }

    @Test func sizesAreCheckedBeforeAnythingIsAllocated() async throws {
        let images = try Self.imageServer()
        let lab = try ServerHarness(settings: ServerHarness.settings(
            adding: #""server": {"maxJSONBytes": 65536}, "labelStudio": {"allowLocalImageHosts": true}"#))
        _ = try await lab.request("POST", "/ls/setup", body: LabelStudioAPITests.json(
            ["project": 5, "schema": LabelStudioAPITests.config, "hostname": "http://127.0.0.1:1"]), contentType: "application/json")
        let large = Array(#"{"action": "ANNOTATION_CREATED", "pad": ""#.utf8) + [UInt8](repeating: 0x61, count: 100_000) + Array(#""}"#.utf8)
        let tooLarge = try await lab.request("POST", "/ls/webhook", body: large, contentType: "application/json")
        #expect(tooLarge.status == 413 && tooLarge.errorCode == "too_large", "\(tooLarge.text)")

        // 32768 x 32768 declared in a few bytes: 4 GiB of values if believed.
        var region = LabelStudioAPITests.brush(width: 40, height: 30) { _, _ in false }
        region["original_width"] = 32768
        region["original_height"] = 32768
        region["value"] = ["format": "rle", "rle": BrushRLE.encode([UInt8](repeating: 0, count: 64)).map(Int.init), "brushlabels": ["Vessel"]]
        lab.daemon.resetPeakMemory()
        let bomb = try await lab.request("POST", "/ls/webhook", body: LabelStudioAPITests.annotation(
            31, task: Self.task(1, "http://127.0.0.1:\(images.port)/im.png"), result: [region]), contentType: "application/json")
        #expect(bomb.status == 422 && bomb.text.contains("32768x32768 pixels on a 40x30 image"), "\(bomb.text)")
        #expect(lab.daemon.peakResidentMiB < 1024, "peak \(lab.daemon.peakResidentMiB) MiB")

        let header = "X-Pad: " + String(repeating: "a", count: 200_000)
        let form = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\(header)\r\n\r\nPNG\r\n--b--\r\n"
        let port = Self.port(lab.url)
        let request = "POST /api/v1/images HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: multipart/form-data; boundary=b\r\n"
            + "Content-Length: \(form.utf8.count)\r\nConnection: close\r\n\r\n" + form
        let answer = try RawHTTP.exchange(port: port, Array(request.utf8))
        #expect(RawHTTP.status(answer) == 431, "\(answer.prefix(300))")
        #expect(try lab.lab().events(type: .imageIngested).count == 1, "only the task's image went in")
    }

    @Test func faultsAreAnsweredWithTheRightKindAndTheDaemonStaysUp() async throws {
        let lab = try ServerHarness(settings: ServerHarness.settings(adding: #""server": {"maxEventStreams": 1}"#))
        let port = Self.port(lab.url)
        let cut = "POST /api/v1/images?name=cut.png HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: image/png\r\n"
            + "Content-Length: 100000\r\n\r\n\u{89}PNG\r\n"
        let cutAnswer = try RawHTTP.exchange(port: port, Array(cut.utf8))
        #expect(RawHTTP.status(cutAnswer) == 400, "a body cut short is the client's fault: \(cutAnswer.prefix(300))")
        #expect(!((try? String(contentsOfFile: "\(lab.root)/daemon.log", encoding: .utf8)) ?? "").contains("failed:"), "no 500 was logged")

        let head = try await lab.request("HEAD", "/api/v1/status")
        #expect(head.status == 200 && head.body.isEmpty && head.headers["content-type"] == "application/json")
        #expect(try await lab.request("HEAD", "/").status == 200)

        let first = try RawHTTP.connect(port: port)
        defer { close(first) }
        let open = RawHTTP.get("/api/v1/events", host: "127.0.0.1:\(port)")
        _ = open.withUnsafeBytes { send(first, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        #expect(recv(first, &buffer, buffer.count, 0) > 0, "the first stream is open")
        let second = try await lab.request("GET", "/api/v1/events")
        #expect(second.status == 503 && second.headers["retry-after"] == "5", "\(second.text)")
        #expect(try await lab.request("POST", "/api/v1/images?name=im1.png", body: try photoPNG(), contentType: "image/png").status == 201,
                "ingesting goes on")

        let limits = try String(contentsOfFile: "/proc/\(lab.daemon.processID)/limits", encoding: .utf8)
        let files = try #require(limits.split(separator: "\n").first { $0.hasPrefix("Max open files") })
        let numbers = files.split(separator: " ").compactMap { Int($0) }
        #expect(numbers.count == 2 && numbers[0] == numbers[1], "the soft limit was raised to the hard one: \(files)")
        #expect(lab.daemon.isRunning)
    }
}
