import Foundation
import LoupeLab
import LoupeVision
import Testing

/// `POST /api/v1/images/{id}/hints` against a real `loupe run` with a tiny guided model: the
/// answer, and every hostile request refused with a clear 4xx that records nothing.
@Suite(.serialized) struct HintAPITests {
    static let guided = ServerHarness.tinySettings.replacingOccurrences(of: "\"bottleneck\": 8}", with: "\"bottleneck\": 8, \"guidance\": true}")

    static func clicks(_ clicks: [(Int, Int, String)], new: Int? = nil, model: String? = nil) -> [UInt8] {
        var body: [String: Any] = ["clicks": clicks.map { ["x": $0.0, "y": $0.1, "kind": $0.2] }]
        if let new { body["new"] = new }
        if let model { body["model"] = model }
        return Array(try! JSONSerialization.data(withJSONObject: body))
    }

    /// A lab whose annotators `ana` and `bob` hold tokens, with a model trained under
    /// `settings` on two corrected images, and im3 uploaded.
    static func lab(settings: String = guided, trained: Bool = true) async throws -> (ServerHarness, ana: String, bob: String, reader: String) {
        var tokens: [String] = []
        let lab = try ServerHarness(settings: settings) { root in
            let workspace = try Workspace(at: root)
            tokens = try [("ana", Role.annotator), ("bob", .annotator), ("rita", .reader)].map { try workspace.addAnnotator(name: $0.0, role: $0.1) }
        }
        for n in 1...3 {
            #expect(try await lab.request("POST", "/api/v1/images?name=im\(n).png", body: try photoPNG(seed: n), contentType: "image/png", token: tokens[0]).status == 201)
        }
        if trained {
            for n in 1...2 {
                let mask = try maskPNG { x, y in abs(x - (40 / 3 + n % 7) - y / 3) < 2 }
                #expect(try await lab.request("POST", "/api/v1/images/im\(n)/corrections", body: mask, contentType: "image/png", token: tokens[0]).status == 201)
            }
            try lab.waitFor("a promoted model") { try !$0.events(type: .modelPromoted).isEmpty }
        }
        return (lab, tokens[0], tokens[1], tokens[2])
    }

    static func png(_ reply: Reply, _ key: String) throws -> (width: Int, height: Int, pixels: [UInt8]) {
        let text = try #require(reply.json[key] as? String)
        let raster = try ImageCodec.decode(Array(try #require(Data(base64Encoded: text))))
        return (raster.width, raster.height, raster.pixels)
    }

    /// A hint's answer applied to a whole mask as the page applies it: the pixels where the
    /// region's mask differs from its previous mask.
    static func apply(_ answer: Reply, to mask: inout [UInt8], width: Int) throws {
        let region = try #require(answer.json["region"] as? [String: Int])
        let (x, y, w, h) = (region["x"]!, region["y"]!, region["width"]!, region["height"]!)
        let after = try png(answer, "mask").pixels, before = try png(answer, "previousMask").pixels
        for j in 0..<h {
            for i in 0..<w where after[j * w + i] != before[j * w + i] { mask[(y + j) * width + x + i] = after[j * w + i] }
        }
    }

    @Test func clicksAreAnsweredWithTheRegionTheyChange() async throws {
        let (lab, ana, _, _) = try await Self.lab()
        let model = try #require(try lab.lab().currentModel()?.sha)
        #expect(try await lab.request("GET", "/api/v1/status", token: ana).json["hints"] as? Bool == true, "the page shows its hint tool")
        #expect(try await lab.request("GET", "/api/v1/images/im3/prediction.png", token: ana).status == 200)
        let one = try await lab.request("POST", "/api/v1/images/im3/hints", body: Self.clicks([(20, 10, "vessel")]), contentType: "application/json", token: ana)
        #expect(one.status == 200, "\(one.text)")
        #expect(one.json["model"] as? String == model)
        let region = try #require(one.json["region"] as? [String: Int])
        let (x, y, w, h) = (region["x"]!, region["y"]!, region["width"]!, region["height"]!)
        #expect(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= 40 && y + h <= 30, "\(region)")
        #expect(x <= 20 && 20 < x + w && y <= 10 && 10 < y + h, "the region holds the click")
        for key in ["mask", "previousMask", "probability"] {
            let image = try Self.png(one, key)
            #expect(image.width == w && image.height == h, "\(key) is the region's size")
        }
        let mask = try Self.png(one, "mask").pixels, previous = try Self.png(one, "previousMask").pixels
        #expect(one.json["changed"] as? Int == zip(mask, previous).filter { $0 != $1 }.count)

        let second = Self.clicks([(20, 10, "vessel"), (5, 25, "background")], new: 1, model: model)
        let two = try await lab.request("POST", "/api/v1/images/im3/hints", body: second, contentType: "application/json", token: ana)
        #expect(two.status == 200 && two.json["clicks"] as? Int == 2, "\(two.text)")
        // The same clicks from a page the server has not followed (another tab): the same answer.
        _ = try await lab.request("POST", "/api/v1/images/im3/hints", body: Self.clicks([(1, 1, "vessel")]), contentType: "application/json", token: ana)
        let again = try await lab.request("POST", "/api/v1/images/im3/hints", body: second, contentType: "application/json", token: ana)
        #expect(try Self.png(again, "mask").pixels == (try Self.png(two, "mask").pixels))
        #expect(again.json["region"] as? [String: Int] == two.json["region"] as? [String: Int])
    }

    @Test func hostileHintsGetAClear4xxAndChangeNothing() async throws {
        let (lab, ana, bob, reader) = try await Self.lab()
        #expect(try await lab.request("GET", "/api/v1/images/im3/prediction.png", token: ana).status == 200)
        let model = try #require(try lab.lab().currentModel()?.sha)
        try lab.waitFor("the sweep to settle") { lab in try lab.images().allSatisfy { $0.predictionModel == model || $0.state == .corrected } }
        let head = try lab.lab().headSeq()
        let many = Self.clicks(Array(repeating: (1, 1, "vessel"), count: 10_000))
        let cases: [(String, [UInt8], String, String?, Int, String)] = [
            ("outside", Self.clicks([(40, 3, "vessel")]), "im3", ana, 400, "outside"),
            ("negative", Self.clicks([(3, -1, "vessel")]), "im3", ana, 400, "outside"),
            ("10,000 clicks", many, "im3", ana, 400, "at most 200"),
            ("no clicks", Array(#"{"clicks": []}"#.utf8), "im3", ana, 400, "at least one"),
            ("new 0", Self.clicks([(3, 3, "vessel")], new: 0), "im3", ana, 400, "new must be"),
            ("new beyond", Self.clicks([(3, 3, "vessel")], new: 2), "im3", ana, 400, "new must be"),
            ("NaN", Array(#"{"clicks": [{"x": NaN, "y": 1, "kind": "vessel"}]}"#.utf8), "im3", ana, 400, "not valid JSON"),
            ("float", Array(#"{"clicks": [{"x": 3.5, "y": 1, "kind": "vessel"}]}"#.utf8), "im3", ana, 400, "x must be a whole pixel index"),
            ("string", Array(#"{"clicks": [{"x": "3", "y": 1, "kind": "vessel"}]}"#.utf8), "im3", ana, 400, "x must be a whole pixel index"),
            ("kind", Array(#"{"clicks": [{"x": 3, "y": 1, "kind": "artery"}]}"#.utf8), "im3", ana, 400, "kind must be vessel or background"),
            ("unknown image", Self.clicks([(3, 3, "vessel")]), "im99", ana, 404, "im99"),
            ("claimed by ana", Self.clicks([(3, 3, "vessel")]), "im3", bob, 409, "ana"),
            ("a reader", Self.clicks([(3, 3, "vessel")]), "im3", reader, 403, "annotator"),
            ("no token", Self.clicks([(3, 3, "vessel")]), "im3", nil, 401, "token"),
            ("another model", Self.clicks([(3, 3, "vessel")], model: String(repeating: "0", count: 64)), "im3", ana, 409, "serves now"),
        ]
        for (what, body, image, token, status, words) in cases {
            let reply = try await lab.request("POST", "/api/v1/images/\(image)/hints", body: body, contentType: "application/json", token: token)
            #expect(reply.status == status, "\(what): \(reply.status) \(reply.text.prefix(300))")
            let message = (reply.json["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(message.contains(words), "\(what): \(message)")
        }
        let plain = try await lab.request("POST", "/api/v1/images/im3/hints", body: Self.clicks([(3, 3, "vessel")]), contentType: "text/plain", token: ana)
        #expect(plain.status == 415)
        let huge = Array(#"{"clicks": [], "pad": ""#.utf8) + Array(repeating: UInt8(ascii: "a"), count: 2 << 20) + Array(#""}"#.utf8)
        #expect(try await lab.request("POST", "/api/v1/images/im3/hints", body: huge, contentType: "application/json", token: ana).status == 413)
        #expect(try lab.lab().headSeq() == head, "no refused hint recorded anything")
    }

    @Test func aLabWithoutAGuidedModelSaysWhatToSet() async throws {
        let (lab, ana, _, _) = try await Self.lab(settings: ServerHarness.tinySettings, trained: false)
        let none = try await lab.request("POST", "/api/v1/images/im3/hints", body: Self.clicks([(3, 3, "vessel")]), contentType: "application/json", token: ana)
        #expect(none.status == 409 && none.errorCode == "no_model", "\(none.text)")
        for n in 1...2 {
            let mask = try maskPNG { x, y in abs(x - (40 / 3 + n % 7) - y / 3) < 2 }
            #expect(try await lab.request("POST", "/api/v1/images/im\(n)/corrections", body: mask, contentType: "image/png", token: ana).status == 201)
        }
        try lab.waitFor("a promoted model") { try !$0.events(type: .modelPromoted).isEmpty }
        let plain = try await lab.request("POST", "/api/v1/images/im3/hints", body: Self.clicks([(3, 3, "vessel")]), contentType: "application/json", token: ana)
        #expect(plain.status == 409 && plain.errorCode == "no_guidance", "\(plain.text)")
        #expect(plain.text.contains("model.guidance"))
        #expect(try await lab.request("GET", "/api/v1/status", token: ana).json["hints"] as? Bool == false, "the page hides its hint tool")
    }

    static func made(_ mask: [UInt8], clicks: [(Int, Int, String)], model: String?, strokes: [[String: Any]]) -> [UInt8] {
        var making: [String: Any] = ["clicks": clicks.map { ["x": $0.0, "y": $0.1, "kind": $0.2] }, "strokes": strokes]
        if let model { making["hintModel"] = model }
        return Array(try! JSONSerialization.data(withJSONObject: ["mask": Data(mask).base64EncodedString(), "making": making]))
    }

    @Test func aSavedCorrectionRecordsHowItWasMade() async throws {
        let (lab, ana, _, _) = try await Self.lab()
        let model = try #require(try lab.lab().currentModel()?.sha)
        let prediction = try ImageCodec.decode(try await lab.request("GET", "/api/v1/images/im3/prediction.png", token: ana).body)
        let clicks = [(20, 10, "vessel"), (5, 25, "background")]
        var hinted = prediction.pixels
        for (n, click) in clicks.enumerated() {
            let answer = try await lab.request("POST", "/api/v1/images/im3/hints", body: Self.clicks(Array(clicks.prefix(n + 1)), new: 1),
                                               contentType: "application/json", token: ana)
            #expect(answer.status == 200, "\(click): \(answer.text)")
            try Self.apply(answer, to: &hinted, width: 40)
        }
        // By hand: a brush stroke along row 2 sets 10 pixels the hints left as background.
        var final = hinted
        let stroke = (0..<10).map { x in (x, 2) }
        for (x, y) in stroke { final[y * 40 + x] = 255 }
        let hand = stroke.filter { hinted[$0.1 * 40 + $0.0] == 0 }.count
        let strokes: [[String: Any]] = [["tool": "brush", "size": 1, "points": [0, 2, 9, 2]]]

        let hostile: [(String, [UInt8], String)] = [
            ("a click outside", Self.made(try maskPNG { _, _ in false }, clicks: [(41, 2, "vessel")], model: model, strokes: []), "outside"),
            ("no hint model", Self.made(try maskPNG { _, _ in false }, clicks: [(4, 2, "vessel")], model: nil, strokes: []), "hintModel"),
            ("an unknown model", Self.made(try maskPNG { _, _ in false }, clicks: [(4, 2, "vessel")], model: String(repeating: "a", count: 64), strokes: []), "no model"),
            ("a tool", Self.made(try maskPNG { _, _ in false }, clicks: [], model: nil, strokes: [["tool": "spray", "size": 3, "points": [1, 1]]]), "tool"),
            ("too many strokes", Self.made(try maskPNG { _, _ in false }, clicks: [], model: nil,
                                           strokes: Array(repeating: ["tool": "brush", "size": 3, "points": [1, 1]], count: 1001)), "at most 1000"),
            ("a long stroke", Self.made(try maskPNG { _, _ in false }, clicks: [], model: nil,
                                        strokes: [["tool": "brush", "size": 3, "points": Array(repeating: 1, count: 1002)]]), "points"),
        ]
        let head = try lab.lab().headSeq()
        for (what, body, words) in hostile {
            let refused = try await lab.request("POST", "/api/v1/images/im3/corrections", body: body, contentType: "application/json", token: ana)
            #expect(refused.status == 400 && refused.text.contains(words), "\(what): \(refused.status) \(refused.text.prefix(300))")
        }
        #expect(try lab.lab().headSeq() == head, "no refused making recorded anything")

        let png = try ImageCodec.encodePNG(RasterImage(width: 40, height: 30, channels: 1, pixels: final))
        let saved = try await lab.request("POST", "/api/v1/images/im3/corrections?basedOnModel=\(model)",
                                          body: Self.made(png, clicks: clicks, model: model, strokes: strokes), contentType: "application/json", token: ana)
        #expect(saved.status == 201, "\(saved.text)")
        let seq = try #require(saved.json["seq"] as? Int)
        let row = try #require(try lab.lab().events(type: .correctionAccepted).last)
        guard case .correctionAccepted(let accepted) = try row.decoded(), row.seq == seq, let making = accepted.making else {
            Issue.record("no making recorded: \(row.payload)")
            return
        }
        #expect(making.clicks == clicks.map { RecordedClick(x: $0.0, y: $0.1, kind: $0.2) })
        #expect(making.hintModel == model && making.strokes == [RecordedStroke(tool: "brush", size: 1, points: [0, 2, 9, 2])])
        let hintedMask = try #require(making.hintedMask)
        #expect(try ImageCodec.decode(try lab.lab().objectBytes(hintedMask)).pixels == hinted,
                "the lab's recomputed hinted mask is what the page's hints added up to")
        let byHand = zip(final, hinted).filter { $0 != $1 }.count
        let byHints = (0..<final.count).filter { final[$0] == hinted[$0] && hinted[$0] != prediction.pixels[$0] }.count
        #expect(byHand == hand && byHints > 0, "the test's own stroke and hints changed pixels")
        #expect(making.pixels == PixelOrigins(model: 40 * 30 - byHand - byHints, hints: byHints, hand: byHand))

        let (status, history) = try lab.loupe(["history", "--lab", lab.root, "im3"])
        #expect(status == 0 && history.contains("2 clicks on model \(model.prefix(12)), 1 stroke") && history.contains("by hand"), "\(history)")
        let (verified, verifyText) = try lab.loupe(["verify", "--lab", lab.root])
        #expect(verified == 0, "\(verifyText)")
        let (replayed, replayText) = try lab.loupe(["replay", "--check", "--lab", lab.root])
        #expect(replayed == 0, "\(replayText)")
    }
}
