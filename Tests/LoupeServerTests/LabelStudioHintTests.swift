import Foundation
import LoupeLab
import LoupeVision
import Testing
@testable import LoupeServer

/// A keypoint placed with Label Studio's interactive tool reaches `/ls/predict` as
/// `params.context` (Label Studio 1.21's `/api/ml/ID/interactive-annotating` relays it so); Loupe
/// answers with the whole brush mask: its prediction with the hint applied.
@Suite(.serialized) struct LabelStudioHintTests {
    static let config = #"<View><Image name="image" value="$image"/><BrushLabels name="vessels" toName="image"><Label value="Vessel"/></BrushLabels><KeyPointLabels name="hint" toName="image" smart="true"><Label value="Vessel" smart="true"/></KeyPointLabels></View>"#

    /// The body Label Studio 1.21 posts to the backend's /predict for an interactive keypoint
    /// (recorded from `MLApi._prep_prediction_req` with the page's context), with the task's
    /// image, the point and its sign filled in.
    static func recorded(image: String, x: Double, y: Double, positive: Bool = true) -> [UInt8] {
        Array("""
        {"tasks": [{"id": 3, "data": {"image": "\(image)"}, "meta": {}, "created_at": "2026-12-05T08:40:00.000000Z",
                    "updated_at": "2026-12-05T08:40:00.000000Z", "is_labeled": false, "overlap": 1, "inner_id": 3,
                    "total_annotations": 0, "cancelled_annotations": 0, "total_predictions": 1, "comment_count": 0,
                    "unresolved_comment_count": 0, "last_comment_updated_at": null, "project": 5, "updated_by": null,
                    "file_upload": 3, "comment_authors": [], "annotations": [], "predictions": [], "drafts": []}],
         "project": "5.1764400000",
         "label_config": \(String(decoding: try! JSONSerialization.data(withJSONObject: config, options: .fragmentsAllowed), as: UTF8.self)),
         "params": {"login": null, "password": null,
                    "context": {"result": [{"original_width": 40, "original_height": 30, "image_rotation": 0,
                                            "value": {"x": \(x), "y": \(y), "width": 0.6, "keypointlabels": ["Vessel"]},
                                            "is_positive": \(positive), "id": "kQ3xP1", "from_name": "hint", "to_name": "image",
                                            "type": "keypointlabels", "origin": "manual"}]}}}
        """.utf8)
    }

    @Test func anInteractiveKeypointIsAnsweredWithTheHintedMask() async throws {
        var key = ""
        let studio = try ServerHarness { root in key = try Workspace(at: root).addAnnotator(name: "studio") }
        for n in 1...3 {
            #expect(try await studio.request("POST", "/api/v1/images?name=im\(n).png", body: try photoPNG(seed: n), contentType: "image/png", token: key).status == 201)
        }
        let lab = try ServerHarness(settings: String(HintAPITests.guided.dropLast()) + #", "labelStudio": {"url": "\#(studio.url)"}}"#)
        func post(_ path: String, _ body: [UInt8]) async throws -> Reply {
            try await lab.request("POST", "/ls/\(path)", body: body, contentType: "application/json")
        }
        let setup = try await post("setup", LabelStudioAPITests.json(["project": 5, "schema": Self.config, "hostname": studio.url, "access_token": key]))
        #expect(setup.status == 200, "\(setup.text)")
        for n in 1...2 {
            let task = LabelStudioAPITests.task(n, image: "/api/v1/images/im\(n)/image.png")
            let brush = LabelStudioAPITests.brush(width: 40, height: 30) { x, y in abs(x - (40 / 3 + n % 7) - y / 3) < 2 }
            #expect(try await post("webhook", LabelStudioAPITests.annotation(10 + n, task: task, result: [brush])).status == 200)
        }
        try lab.waitFor("a promoted model") { try !$0.events(type: .modelPromoted).isEmpty }
        let model = try #require(try lab.lab().currentModel()?.sha)

        let answer = try await post("predict", Self.recorded(image: "/api/v1/images/im3/image.png", x: 51.25, y: 35))
        #expect(answer.status == 200, "\(answer.text)")
        let results = try #require(answer.json["results"] as? [[String: Any]])
        #expect(results.count == 1 && results[0]["model_version"] as? String == String(model.prefix(12)))
        let region = try #require((results[0]["result"] as? [[String: Any]])?.first)
        #expect(region["type"] as? String == "brushlabels" && region["from_name"] as? String == "vessels")
        let rle = try #require((region["value"] as? [String: Any])?["rle"] as? [Int]).map(UInt8.init)
        let hinted = stride(from: 3, to: 40 * 30 * 4, by: 4).map { try! BrushRLE.decode(rle, expected: 40 * 30 * 4)[$0] }

        // The same click through the page's endpoint, applied to the prediction as the page does.
        let image = try #require(try lab.lab().events(type: .labelStudioTaskLinked).compactMap { row -> String? in
            guard case .labelStudioTaskLinked(let linked) = try row.decoded(), linked.task == 3 else { return nil }
            return linked.image
        }.first)
        let prediction = try ImageCodec.decode(try await lab.request("GET", "/api/v1/images/\(image)/prediction.png").body)
        let direct = try await lab.request("POST", "/api/v1/images/\(image)/hints", body: HintAPITests.clicks([(20, 10, "vessel")]), contentType: "application/json")
        #expect(direct.status == 200, "\(direct.text)")
        var expected = prediction.pixels
        try HintAPITests.apply(direct, to: &expected, width: 40)
        #expect(hinted == expected, "Label Studio gets the prediction with the hint applied")

        let outside = try await post("predict", Self.recorded(image: "/api/v1/images/im3/image.png", x: 150, y: 35))
        #expect(outside.status == 400 && outside.text.contains("outside"), "\(outside.text)")
    }
}
