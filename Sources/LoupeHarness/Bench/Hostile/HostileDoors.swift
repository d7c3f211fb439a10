import Foundation
import LoupeLab

/// The doors beside the folders, tried as a hostile caller would (issue 21's kinds): each case
/// against a real `loupe run` with HTTP, answered with a status, checked for what it must not
/// do (write, read, send the key, allocate), with the daemon's peak memory.
struct HostileDoors {
    /// A lab with two annotators whose Label Studio is configured but absent.
    static let strict = """
        {"model": {"channels": [4, 8], "bottleneck": 8},
         "server": {"maxJSONBytes": 65536, "maxEventStreams": 1},
         "labelStudio": {"url": "http://127.0.0.1:1", "downloadSeconds": 2}}
        """
    /// The same, allowed to fetch task images from this machine: the stand-in image server.
    static let local = """
        {"model": {"channels": [4, 8], "bottleneck": 8},
         "labelStudio": {"allowLocalImageHosts": true, "downloadSeconds": 2}}
        """
    /// The stand-in image server's PNG: 40x30, the size `HostileDoorCases.emptyRLE` is for.
    static func png() throws -> [UInt8] {
        try SyntheticDrop.png(index: 0, width: 40, height: 30)
    }

    static let config = #"<View><Image name="image" value="$image"/><BrushLabels name="vessels" toName="image"><Label value="Vessel"/></BrushLabels></View>"#

    struct Row {
        let name: String
        let outcome: String
        let asExpected: Bool
        let peakMiB: Double
    }

    /// One served lab: its daemon, port, and the tokens of ana (an operator) and bob (an annotator).
    final class Served {
        let root: String
        let daemon: DaemonProcess
        let port: Int
        let ana: String
        let bob: String

        init(root: String, settings: String) throws {
            self.root = root
            try Workspace.initialize(at: root)
            try Data(settings.utf8).write(to: URL(fileURLWithPath: Workspace.settingsPath(lab: root)))
            let lab = try Workspace(at: root)
            ana = try lab.addAnnotator(name: "ana", role: .operator)
            bob = try lab.addAnnotator(name: "bob")
            daemon = try DaemonProcess(lab: root, log: "\(root)/daemon.log", http: true)
            var url: String?
            for _ in 0..<500 where url == nil {
                url = daemon.url
                if url == nil { usleep(10_000) }
            }
            guard let url, let port = Int(url.split(separator: ":").last?.split(separator: "/").first ?? "") else {
                throw HarnessError("the hostile doors' daemon served no URL")
            }
            self.port = port
        }

        /// One request by hand: the status and the whole answer.
        func send(_ method: String, _ path: String, headers: [String: String] = [:], body: [UInt8] = [], host: String? = nil)
            throws -> (status: Int, text: String)
        {
            var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host ?? "127.0.0.1:\(port)")\r\nConnection: close\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
            let answer = try RawHTTP.exchange(port: port, Array((head + "\r\n").utf8) + body)
            return (RawHTTP.status(answer), answer)
        }

        func json(_ method: String, _ path: String, _ object: Any, token: String? = nil) throws -> (status: Int, text: String) {
            var headers = ["Content-Type": "application/json"]
            if let token { headers["Authorization"] = "Bearer \(token)" }
            return try send(method, path, headers: headers, body: Array(try JSONSerialization.data(withJSONObject: object)))
        }

        func workspace() throws -> Workspace { try Workspace(at: root, readOnly: true) }
    }

    static func run(root: String, say: (String) -> Void) throws -> (table: BenchTable, wrong: Int) {
        let strict = try Served(root: "\(root)/doors-strict", settings: Self.strict)
        let local = try Served(root: "\(root)/doors-local", settings: Self.local)
        defer {
            strict.daemon.stop()
            local.daemon.stop()
        }
        let png = try HostileDoors.png()
        let images = try RecordingServer(answer: Array("HTTP/1.1 200 OK\r\nContent-Length: \(png.count)\r\n\r\n".utf8) + png)
        let slow = try RecordingServer(answer: Array("HTTP/1.1 200 OK\r\nContent-Length: \(png.count)\r\n\r\n".utf8) + png, pieces: 20, pause: 0.5)
        for served in [strict, local] {
            _ = try served.json("POST", "/ls/setup", ["project": 5, "schema": config, "hostname": "http://127.0.0.1:\(images.port)",
                                                      "access_token": "the-operators-key"], token: served.ana)
        }
        var table = BenchTable("door", "case", "outcome", "as it should", "peak RSS MiB")
        var wrong = 0
        for (door, name, served, check) in HostileDoorCases.all(strict: strict, local: local, images: images, slow: slow) {
            say("\(door): \(name)")
            served.daemon.resetPeakMemory()
            let (outcome, fine) = try check()
            try served.daemon.checkAlive()
            if !fine { wrong += 1 }
            table.add(door, name, outcome, fine ? "yes" : "NO", String(format: "%.0f", served.daemon.peakResidentMiB))
        }
        return (table, wrong)
    }
}
