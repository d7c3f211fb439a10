import Foundation
import LoupeLab

/// The cases of `HostileDoors`, by kind: each returns what happened in a few words and whether
/// that is what should happen.
enum HostileDoorCases {
    typealias Check = () throws -> (String, Bool)
    typealias Case = (door: String, name: String, served: HostileDoors.Served, check: Check)

    /// Label Studio's rle-pack of a 40x30 mask with no vessel: 4,800 zero values in one run.
    static let emptyRLE = [0, 0, 18, 192, 57, 27, 255, 18, 191, 0, 0]

    static func all(strict: HostileDoors.Served, local: HostileDoors.Served, images: RecordingServer, slow: RecordingServer) -> [Case] {
        let pause: [String: Any] = ["action": "pause"]
        func task(_ id: Int, _ image: String) -> [String: Any] { ["id": id, "project": 5, "data": ["image": image]] }
        func annotation(_ id: Int, _ task: [String: Any], width: Int = 40, height: Int = 30) -> [String: Any] {
            ["action": "ANNOTATION_CREATED", "project": ["id": 5], "task": task,
             "annotation": ["id": id, "task": task["id"]!, "completed_by": 1, "was_cancelled": false,
                            "result": [["type": "brushlabels", "from_name": "vessels", "to_name": "image",
                                        "original_width": width, "original_height": height,
                                        "value": ["format": "rle", "rle": emptyRLE, "brushlabels": ["Vessel"]]]]]]
        }
        func said(_ status: Int, _ expected: Int, _ also: Bool = true) -> (String, Bool) { ("\(status)", status == expected && also) }
        let writes = { (served: HostileDoors.Served) in
            try served.workspace().events().filter { ["TrainingPaused", "ImageIngested"].contains($0.type) }.count
        }
        return [
            ("cross-site", "upload from another site's page", strict, {
                let before = try writes(strict)
                let (status, _) = try strict.send("POST", "/api/v1/images?name=a.png", headers: [
                    "Origin": "http://evil.example", "Content-Type": "image/png", "Authorization": "Bearer \(strict.ana)",
                ], body: try HostileDoors.png())
                return said(status, 403, try writes(strict) == before)
            }),
            ("cross-site", "text/plain body to a JSON route", strict, {
                let (status, _) = try strict.send("POST", "/api/v1/training", headers: [
                    "Content-Type": "text/plain", "Authorization": "Bearer \(strict.ana)",
                ], body: Array(#"{"action": "pause"}"#.utf8))
                return said(status, 415, try strict.workspace().controls().paused == false)
            }),
            ("cross-site", "DNS rebinding: another name in Host", strict, {
                let (status, _) = try strict.send("GET", "/api/v1/status", headers: ["Authorization": "Bearer \(strict.ana)"], host: "evil.example")
                return said(status, 421)
            }),
            ("cross-site", "read without a token", strict, {
                let (status, _) = try strict.send("GET", "/api/v1/images")
                return said(status, 401)
            }),
            ("label studio", "setup names another address; key stays home", strict, {
                let (status, text) = try strict.json("POST", "/ls/predict", ["project": 5, "tasks": [task(1, "/data/upload/5/a.png")]],
                                                     token: strict.ana)
                return ("\(status), \(images.received.count) requests elsewhere", status == 502 && text.contains("127.0.0.1:1/") && images.received.isEmpty)
            }),
            ("label studio", "task image on a loopback address", strict, {
                let (status, _) = try strict.json("POST", "/ls/predict", ["project": 5, "tasks": [task(2, "http://127.0.0.1:\(images.port)/a.png")]],
                                                  token: strict.ana)
                return said(status, 400, images.received.isEmpty)
            }),
            ("sizes", "brush region declared 32768x32768", local, {
                let (status, _) = try local.json("POST", "/ls/webhook", annotation(13, task(2, "http://127.0.0.1:\(images.port)/b.png"), width: 32768, height: 32768),
                                                 token: local.bob)
                return said(status, 422, local.daemon.peakResidentMiB < 1024)
            }),
            ("identity", "webhook by bob naming Label Studio's user 1", local, {
                let (status, _) = try local.json("POST", "/ls/webhook", annotation(11, task(1, "http://127.0.0.1:\(images.port)/a.png")), token: local.bob)
                let recorded = try local.workspace().events(type: .correctionAccepted).compactMap { row -> String? in
                    guard case .correctionAccepted(let e) = try row.decoded() else { return nil }
                    return e.annotator
                }
                return ("\(status), recorded as \(recorded.joined(separator: ","))", status == 200 && recorded == ["bob"])
            }),
            ("identity", "webhook on an image ana holds", local, {
                let image = try local.workspace().labelStudioImage(project: 5, task: 1)?.sha ?? "none"
                _ = try local.send("POST", "/api/v1/images/\(image)/claim", headers: ["Authorization": "Bearer \(local.ana)"])
                let (status, _) = try local.json("POST", "/ls/webhook", annotation(12, task(1, "http://127.0.0.1:\(images.port)/a.png")), token: local.bob)
                return said(status, 409, try local.workspace().events(type: .correctionAccepted).count == 1)
            }),
            ("sizes", "JSON body of 1 MB over a 64 KiB limit", strict, {
                let (status, _) = try strict.json("POST", "/ls/webhook", ["pad": String(repeating: "a", count: 1 << 20)], token: strict.ana)
                return said(status, 413)
            }),
            ("sizes", "multipart part header of 200 KB", strict, {
                let form = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nX-Pad: "
                    + String(repeating: "a", count: 200_000) + "\r\n\r\nPNG\r\n--b--\r\n"
                let (status, _) = try strict.send("POST", "/api/v1/images", headers: [
                    "Content-Type": "multipart/form-data; boundary=b", "Authorization": "Bearer \(strict.ana)",
                ], body: Array(form.utf8))
                return said(status, 431)
            }),
            ("sizes", "1000 tasks in one predict call", strict, {
                let started = Date()
                let (status, _) = try strict.json("POST", "/ls/predict", ["project": 5, "tasks": (1...1000).map { ["id": $0, "data": [:]] as [String: Any] }],
                                                  token: strict.ana)
                let seconds = Date().timeIntervalSince(started)
                return ("\(status) in \(String(format: "%.1f", seconds)) s", status == 404 && seconds < 10)
            }),
            ("sizes", "task image trickled past its deadline", local, {
                let (status, text) = try local.json("POST", "/ls/predict", ["project": 5, "tasks": [task(3, "http://127.0.0.1:\(slow.port)/c.png")]],
                                                    token: local.ana)
                return said(status, 502, text.contains("took longer than"))
            }),
            ("errors", "body cut short", strict, {
                let head = "POST /api/v1/images?name=cut.png HTTP/1.1\r\nHost: 127.0.0.1:\(strict.port)\r\nContent-Type: image/png\r\n"
                    + "Authorization: Bearer \(strict.ana)\r\nContent-Length: 100000\r\n\r\n\u{89}PNG"
                let status = RawHTTP.status(try RawHTTP.exchange(port: strict.port, Array(head.utf8)))
                let log = (try? String(contentsOfFile: "\(strict.root)/daemon.log", encoding: .utf8)) ?? ""
                return ("\(status)", status == 400 && !log.contains("failed:"))
            }),
            ("errors", "HEAD on a GET route", strict, {
                let (status, text) = try strict.send("HEAD", "/api/v1/status", headers: ["Authorization": "Bearer \(strict.ana)"])
                return said(status, 200, !text.contains("\"lab\""))
            }),
            ("descriptors", "a second event stream over a cap of 1", strict, {
                let first = try RawHTTP.connect(port: strict.port)
                defer { close(first) }
                let open = Array("GET /api/v1/events?token=\(strict.ana) HTTP/1.1\r\nHost: 127.0.0.1:\(strict.port)\r\n\r\n".utf8)
                _ = open.withUnsafeBytes { send(first, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                var buffer = [UInt8](repeating: 0, count: 4096)
                _ = recv(first, &buffer, buffer.count, 0)
                let (status, text) = try strict.send("GET", "/api/v1/events", headers: ["Authorization": "Bearer \(strict.ana)"])
                let (upload, _) = try strict.send("POST", "/api/v1/images?name=after.png", headers: [
                    "Content-Type": "image/png", "Authorization": "Bearer \(strict.ana)",
                ], body: try HostileDoors.png())
                return ("\(status), then an upload \(upload)", status == 503 && text.contains("Retry-After") && upload == 201)
            }),
            ("descriptors", "soft limit raised to the hard one", strict, {
                let limits = (try? String(contentsOfFile: "/proc/\(strict.daemon.processID)/limits", encoding: .utf8)) ?? ""
                let line = limits.split(separator: "\n").first { $0.hasPrefix("Max open files") } ?? ""
                let numbers = line.split(separator: " ").compactMap { Int($0) }
                return (numbers.map(String.init).joined(separator: " / "), numbers.count == 2 && numbers[0] == numbers[1])
            }),
            ("cross-site", "pause from the lab's own page", strict, {
                let (status, _) = try strict.send("POST", "/api/v1/training", headers: [
                    "Content-Type": "application/json", "Origin": "http://127.0.0.1:\(strict.port)", "Authorization": "Bearer \(strict.ana)",
                ], body: Array(try JSONSerialization.data(withJSONObject: pause)))
                return said(status, 202, try strict.workspace().controls().paused)
            }),
        ]
    }
}
