import Foundation
import LoupeLab

/// `loupe bench http`: what an annotator's browser waits for, against a real `loupe run` whose
/// second training runs through every measurement: opening an image with its prediction, the
/// status and queue under 50 concurrent clients (wrk), and a saved correction until its
/// CorrectionAccepted is in the log.
package struct HTTPBenchmark: Sendable {
    var width: Int
    var height: Int
    var opens: Int
    var saves: Int
    var wrkSeconds: Int

    package init(width: Int = 700, height: Int = 605, opens: Int = 40, saves: Int = 20, wrkSeconds: Int = 8) {
        self.width = width
        self.height = height
        self.opens = opens
        self.saves = saves
        self.wrkSeconds = wrkSeconds
    }

    package func run() async throws -> String {
        let root = NSTemporaryDirectory() + "loupe-bench-http-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let lab = "\(root)/lab"
        try Workspace.initialize(at: lab)
        // The default model, trained for a minute each time: long enough for the second training
        // to run through the measurements.
        try Data(#"{"training": {"minutes": 1}, "retrain": {"quietSeconds": 0, "minNewCorrections": 2}}"#.utf8)
            .write(to: URL(fileURLWithPath: Workspace.settingsPath(lab: lab)))
        let daemon = try DaemonProcess(lab: lab, log: "\(root)/daemon.log", http: true)
        defer { daemon.stop() }
        guard let url = daemon.url else { throw HarnessError("the daemon serves no HTTP") }
        let client = HTTPClient(base: String(url.dropLast()))

        let images = 4 + saves
        for index in 0..<images {
            let reply = try await client.call("POST", "/api/v1/images?name=b\(index).png",
                                              body: try SyntheticDrop.png(index: index, width: width, height: height), contentType: "image/png")
            guard reply.status == 201 else { throw HarnessError("upload failed: \(reply.status)") }
        }
        for index in 0..<2 { try await correct(client, image: "b\(index)", index: index) }
        try daemon.waitFor { lab in try lab.currentModel() != nil && lab.predictionBacklog(model: lab.currentModel()!.sha).isEmpty }
        for index in 2..<4 { try await correct(client, image: "b\(index)", index: index) }
        try daemon.waitFor { try $0.events(type: .trainingStarted).count == 2 }

        var table = BenchTable("request", "samples", "p50 ms", "p95 ms", "p99 ms", "errors", "training throughout")
        let ids = (4..<images).map { "b\($0)" }
        var opened = Latencies()
        for index in 0..<opens {
            let id = ids[index % ids.count]
            let start = ContinuousClock.now
            async let detail = client.call("GET", "/api/v1/images/\(id)")
            async let image = client.call("GET", "/api/v1/images/\(id)/image.png")
            async let prediction = client.call("GET", "/api/v1/images/\(id)/prediction.png")
            let statuses = try await [detail.status, image.status, prediction.status]
            guard statuses == [200, 200, 200] else { throw HarnessError("opening \(id): \(statuses)") }
            opened.add(ContinuousClock.now - start)
        }
        table.add("open an image: detail + image.png + prediction.png", "\(opened.count)", Self.ms(opened.percentile(50)),
                  Self.ms(opened.percentile(95)), Self.ms(opened.percentile(99)), "0", try stillTraining(daemon))

        for path in ["/api/v1/status", "/api/v1/queue"] {
            let run = try WrkRun.run(url: client.base + path, connections: 50, seconds: wrkSeconds)
            table.add("\(path), 50 connections (wrk, \(Int(run.requestsPerSecond)) req/s)", "\(run.requests)",
                      run.p50, "-", run.p99, "\(run.errors)", try stillTraining(daemon))
        }

        var saved = Latencies()
        for index in 4..<(4 + saves) {
            let start = ContinuousClock.now
            let seq = try await correct(client, image: "b\(index)", index: index)
            saved.add(ContinuousClock.now - start)
            guard try daemon.workspace().events(after: seq - 1, upTo: seq, type: .correctionAccepted).count == 1 else {
                throw HarnessError("the reply came before CorrectionAccepted \(seq) was in the log")
            }
        }
        table.add("save a correction until its CorrectionAccepted", "\(saved.count)", Self.ms(saved.percentile(50)),
                  Self.ms(saved.percentile(95)), Self.ms(saved.percentile(99)), "0", try stillTraining(daemon))
        return table.render() + "\nimages \(width)x\(height) RGB PNG; the default model; loopback; "
            + "\(ProcessInfo.processInfo.activeProcessorCount) cores shared by the daemon, its training, the server and the clients"
    }

    /// Posts a mask for `image`; returns the seq of its CorrectionAccepted.
    @discardableResult
    private func correct(_ client: HTTPClient, image: String, index: Int) async throws -> Int {
        let mask = try SyntheticDrop.png(index: index, width: width, height: height, mask: true)
        let reply = try await client.call("POST", "/api/v1/images/\(image)/corrections", body: mask, contentType: "image/png")
        guard reply.status == 201, let json = try JSONSerialization.jsonObject(with: reply.body) as? [String: Any],
              let seq = json["seq"] as? Int else {
            throw HarnessError("correction of \(image) failed: \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
        }
        return seq
    }

    /// Whether the second training was still running when a measurement ended.
    private func stillTraining(_ daemon: DaemonProcess) throws -> String {
        try daemon.workspace().events(type: .modelTrained).count < 2 ? "yes" : "no"
    }

    private static func ms(_ value: Double) -> String { String(format: "%.1f", value) }
}
