import Foundation
import LoupeLab
import LoupeVision
import Testing
@testable import LoupeServer

/// The `/ls` door against a real `loupe run`. A second `loupe run` plays Label Studio's file
/// server: task images are its `/api/v1/images/ID/image.png`, fetched with the key setup gave
/// (one of its annotators' tokens), so the test needs nothing outside the repository. (scripts/label-studio-check.sh runs the same door against a real Label Studio.)
@Suite(.serialized) struct LabelStudioAPITests {
    static let config = #"<View><Image name="image" value="$image"/><BrushLabels name="vessels" toName="image"><Label value="Vessel"/></BrushLabels></View>"#

    static func json(_ object: Any) -> [UInt8] { Array(try! JSONSerialization.data(withJSONObject: object)) }

    static func task(_ id: Int, image: String?) -> [String: Any] {
        ["id": id, "project": 5, "data": image.map { ["image": $0] } ?? [:]]
    }

    static func brush(width: Int, height: Int, _ vessel: (Int, Int) -> Bool) -> [String: Any] {
        var values: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width { values += [UInt8](repeating: vessel(x, y) ? 255 : 0, count: 4) }
        }
        return ["type": "brushlabels", "from_name": "vessels", "to_name": "image", "original_width": width, "original_height": height,
                "value": ["format": "rle", "rle": BrushRLE.encode(values).map(Int.init), "brushlabels": ["Vessel"]]]
    }

    static func annotation(_ id: Int, task: [String: Any], result: [[String: Any]], action: String = "ANNOTATION_CREATED") -> [UInt8] {
        json(["action": action, "project": ["id": 5],
              "annotation": ["id": id, "task": task["id"]!, "completed_by": 1, "result": result, "was_cancelled": false],
              "task": task])
    }

    @Test func predictionsCorrectionsAndEveryRefusalThroughTheLabelStudioDoor() async throws {
        var key = ""
        let studio = try ServerHarness { root in key = try Workspace(at: root).addAnnotator(name: "studio") }
        for n in 1...4 {
            #expect(try await studio.request("POST", "/api/v1/images?name=im\(n).png", body: try photoPNG(seed: n), contentType: "image/png", token: key).status == 201)
        }
        let lab = try ServerHarness(settings: ServerHarness.settings(adding: #""labelStudio": {"url": "\#(studio.url)"}"#))
        func post(_ path: String, _ body: [UInt8]) async throws -> Reply {
            try await lab.request("POST", "/ls/\(path)", body: body, contentType: "application/json")
        }
        let health = try await lab.request("GET", "/ls/health")
        #expect(health.status == 200 && health.json["status"] as? String == "UP")

        let setup = try await post("setup", Self.json(["project": "5.1764400000", "schema": Self.config, "hostname": studio.url, "access_token": key]))
        #expect(setup.status == 200 && setup.json["model_version"] as? String == "untrained", "\(setup.text)")
        let saved = try #require(FileManager.default.attributesOfItem(atPath: "\(lab.root)/label-studio.json")[.posixPermissions] as? Int)
        #expect(saved == 0o600, "the key is readable by the lab's owner only")
        #expect(!(try String(contentsOfFile: "\(lab.root)/loupe.sqlite", encoding: .isoLatin1)).contains(key), "nor is it in the log")

        let badSchema = try await post("setup", Self.json(["project": 5, "schema": "<View><Image name=\"i\" value=\"$i\"/></View>", "hostname": studio.url]))
        #expect(badSchema.status == 422 && badSchema.errorCode == "unusable_config" && badSchema.text.contains("BrushLabels"))
        let noHost = try await post("setup", Self.json(["project": 5, "schema": Self.config, "hostname": "file:///etc"]))
        #expect(noHost.status == 400)
        let notJSON = try await post("setup", Array("{\"project\": 5,".utf8))
        #expect(notJSON.status == 400 && notJSON.text.contains("not the JSON this route takes"), "\(notJSON.text)")
        let noTasks = try await post("predict", Self.json(["project": "5.1", "tasks": "all of them"]))
        #expect(noTasks.text.contains("tasks"), "the answer names the field: \(noTasks.text)")
        let brokenHook = try await post("webhook", Array("{\"action\": \"ANNOTATION_CREATED\", \"annotation\": 7,".utf8))
        #expect(brokenHook.status == 400 && brokenHook.text.contains("not a Label Studio webhook"), "\(brokenHook.text)")
        #expect(noTasks.status == 400)
        for elsewhere in ["file:///etc/passwd", "../loupe.json", "s3://bucket/im1.png"] {
            let refused = try await post("predict", Self.json(["project": "5.1", "tasks": [Self.task(50, image: elsewhere)]]))
            #expect(refused.status == 400 && refused.text.contains("not an http(s) URL"), "\(elsewhere): \(refused.text)")
        }
        #expect(try lab.lab().events(type: .imageIngested).isEmpty, "no reference reached the file system")

        // No model yet: the image is fetched, taken and linked, and the answer says why there is no prediction.
        let t1 = Self.task(1, image: "/api/v1/images/im1/image.png")
        let early = try await post("predict", Self.json(["project": "5.1", "label_config": Self.config, "tasks": [t1]]))
        #expect(early.status == 503 && early.errorCode == "no_prediction", "\(early.text)")
        #expect(try lab.lab().events(type: .labelStudioTaskLinked).count == 1)

        let vessel: (Int, Int) -> Bool = { x, y in abs(x - 14 - y / 3) < 2 }
        let first = try await post("webhook", Self.annotation(11, task: t1, result: [Self.brush(width: 40, height: 30, vessel)]))
        #expect(first.status == 200, "\(first.text)")
        let accepted = try lab.lab().events(type: .correctionAccepted)
        guard case .correctionAccepted(let correction) = try accepted.first?.decoded() else { Issue.record("no correction"); return }
        #expect(correction.annotator == "ls-1", "Label Studio's user, whose name the stand-in cannot tell")
        let stored = try lab.lab().maskPixels(ofObject: correction.mask)
        #expect(stored.pixels == (0..<1200).map { vessel($0 % 40, $0 / 40) ? 255 : 0 }, "the mask is the brush, pixel for pixel")

        let t2 = Self.task(2, image: "/api/v1/images/im2/image.png")
        var broken = Self.brush(width: 40, height: 30, vessel)
        broken["value"] = ["format": "rle", "rle": [0, 0, 18, 192, 7, 0]]
        let malformed = try await post("webhook", Self.annotation(12, task: t2, result: [broken]))
        #expect(malformed.status == 422 && malformed.errorCode == "rejected", "\(malformed.text)")
        let rejectedPath = try #require((malformed.json["error"] as? [String: Any])?["rejectedPath"] as? String)
        #expect(rejectedPath.hasSuffix(".task-2.annotation-12.json"))
        let kept = try String(contentsOfFile: "\(lab.root)/\(rejectedPath)", encoding: .utf8)
        #expect(kept.contains("\"rle\":[0,0,18,192,7,0]"), "the refused annotation is kept as it came")
        #expect(FileManager.default.fileExists(atPath: "\(lab.root)/\(rejectedPath).reason.txt"))

        let wrongSize = try await post("webhook", Self.annotation(13, task: t2, result: [Self.brush(width: 10, height: 10) { _, _ in true }]))
        #expect(wrongSize.status == 422 && wrongSize.text.contains("10x10"), "\(wrongSize.text)")
        #expect(try lab.lab().events(type: .correctionRejected).count == 2)

        let unknown = try await post("webhook", Self.annotation(14, task: Self.task(99, image: nil), result: []))
        #expect(unknown.status == 404 && unknown.errorCode == "unknown_task")
        let notSetUp = try await post("webhook", Self.json(["action": "ANNOTATION_CREATED", "project": ["id": 77],
                                                             "annotation": ["id": 1, "task": 1, "result": []], "task": ["id": 1]]))
        #expect(notSetUp.status == 409 && notSetUp.errorCode == "not_set_up")
        // An import's batch: the good annotation is taken, the broken one listed.
        let batch = try await post("webhook", Self.json(["action": "ANNOTATIONS_CREATED", "project": ["id": 5],
            "annotation": [["id": 16, "task": 2, "completed_by": 1, "result": [Self.brush(width: 40, height: 30, vessel)]],
                           ["id": 17, "task": 2, "completed_by": 1, "result": [broken]]],
            "task": [t2]]))
        #expect(batch.status == 200, "\(batch.text)")
        #expect((batch.json["taken"] as? [[String: Any]])?.count == 1)
        #expect((batch.json["refused"] as? [String])?.first?.hasPrefix("annotation 17: 422 rejected") == true, "\(batch.text)")
        let ignored = try await post("webhook", Self.json(["action": "PROJECT_UPDATED", "project": ["id": 5]]))
        #expect(ignored.status == 200 && ignored.json["status"] as? String == "ignored")

        // A setup naming another address moves nothing: Label Studio's paths are still asked of
        // the configured one, which has no such file.
        _ = try await post("setup", Self.json(["project": 6, "schema": Self.config, "hostname": "http://127.0.0.1:1"]))
        let unreachable = try await post("predict", Self.json(["project": 6, "tasks": [Self.task(7, image: "/data/upload/6/x.png")]]))
        #expect(unreachable.status == 502 && unreachable.errorCode == "label_studio_unreachable", "\(unreachable.text)")
        #expect(unreachable.text.contains(studio.url) && !unreachable.text.contains("127.0.0.1:1/"), "\(unreachable.text)")
        _ = try await post("setup", Self.json(["project": 5, "schema": Self.config, "hostname": studio.url, "access_token": key]))

        // A second correction trains the first model; Label Studio then gets its predictions,
        // made on demand for an image the daemon had not reached.
        let t3 = Self.task(3, image: "/api/v1/images/im3/image.png")
        #expect(try await post("webhook", Self.annotation(15, task: t3, result: [Self.brush(width: 40, height: 30, vessel)])).status == 200)
        try lab.waitFor("a promoted model") { try !$0.events(type: .modelPromoted).isEmpty }
        let model = try #require(try lab.lab().currentModel()?.sha)
        let t4 = Self.task(4, image: "/api/v1/images/im4/image.png")
        let answer = try await post("predict", Self.json(["project": "5.1", "label_config": Self.config, "tasks": [t1, t4]]))
        #expect(answer.status == 200, "\(answer.text)")
        let results = try #require(answer.json["results"] as? [[String: Any]])
        #expect(results.count == 2)
        #expect(results.allSatisfy { $0["model_version"] as? String == String(model.prefix(12)) })
        let image4 = try #require(try lab.lab().labelStudioImage(project: 5, task: 4))
        let made = try #require(try lab.lab().prediction(ofImage: image4.sha, by: model))
        let region = try #require((results[1]["result"] as? [[String: Any]])?.first)
        let rle = try #require((region["value"] as? [String: Any])?["rle"] as? [Int]).map(UInt8.init)
        let values = try BrushRLE.decode(rle, expected: 40 * 30 * 4)
        #expect(stride(from: 3, to: values.count, by: 4).map { values[$0] } == (try lab.lab().maskPixels(ofObject: made.mask)).pixels)
        let score = try #require(results[1]["score"] as? Double)
        #expect(abs(score - (1 - made.uncertainty)) < 1e-9)
    }

    @Test func aLabWithAnnotatorsTakesLabelStudiosBasicAuthentication() async throws {
        var token = ""
        let lab = try ServerHarness { root in token = try Workspace(at: root).addAnnotator(name: "studio") }
        let body = Self.json(["project": 5, "schema": Self.config, "hostname": "http://127.0.0.1:9"])
        let anonymous = try await lab.request("POST", "/ls/setup", body: body, contentType: "application/json")
        #expect(anonymous.status == 401)
        let wrong = Data("label-studio:not-the-token".utf8).base64EncodedString()
        #expect(try await lab.request("POST", "/ls/setup", body: body, contentType: "application/json",
                                      headers: ["Authorization": "Basic \(wrong)"]).status == 401)
        let basic = Data("label-studio:\(token)".utf8).base64EncodedString()
        let setup = try await lab.request("POST", "/ls/setup", body: body, contentType: "application/json", headers: ["Authorization": "Basic \(basic)"])
        #expect(setup.status == 200, "\(setup.text)")
        #expect(try await lab.request("POST", "/ls/setup", body: body, contentType: "application/json", token: token).status == 200)
    }
}
