import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LoupeHarness
import LoupeLab
import LoupeVision

/// A lab in a temporary folder with a model that trains in a second, served by a real
/// `loupe run` on a free loopback port.
final class ServerHarness {
    let root: String
    let daemon: DaemonProcess
    let url: String

    static let tinySettings = """
        {"model": {"channels": [4, 8], "bottleneck": 8},
         "training": {"epochs": 2, "batchSize": 4, "augment": [{"type": "crop", "size": 16, "count": 4}]},
         "retrain": {"quietSeconds": 0.2, "minNewCorrections": 2, "validationEvery": 1000, "minValidationDice": 0},
         "watch": {"rescanSeconds": 0.5, "settleMilliseconds": 100}}
        """

    /// The tiny settings with more top-level keys, e.g. `"server": {...}`.
    static func settings(adding keys: String) -> String {
        String(tinySettings.dropLast()) + ",\n " + keys + "}"
    }

    init(settings: String = ServerHarness.tinySettings, beforeStart: (String) throws -> Void = { _ in }) throws {
        root = NSTemporaryDirectory() + "loupe-server-test-\(UUID().uuidString)"
        try Workspace.initialize(at: root)
        try Data(settings.utf8).write(to: URL(fileURLWithPath: Workspace.settingsPath(lab: root)))
        try beforeStart(root)
        daemon = try DaemonProcess(lab: root, log: "\(root)/daemon.log", http: true, executable: Self.binary)
        var found: String?
        for _ in 0..<500 where found == nil {
            found = daemon.url
            if found == nil { usleep(10_000) }
        }
        guard let found else { throw HarnessFailure("the daemon wrote no URL to daemon.json") }
        url = found.hasSuffix("/") ? String(found.dropLast()) : found
    }

    deinit {
        daemon.stop()
        try? FileManager.default.removeItem(atPath: root)
    }

    static var binary: String {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("loupe").path
        if FileManager.default.isExecutableFile(atPath: besideTests) { return besideTests }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/debug/loupe").standardized.path
    }

    func lab() throws -> Workspace { try Workspace(at: root, readOnly: true) }

    /// One request; returns the status, the headers and the body.
    func request(
        _ method: String, _ path: String, body: [UInt8]? = nil, contentType: String? = nil, token: String? = nil,
        headers: [String: String] = [:]
    ) async throws -> Reply {
        var request = URLRequest(url: URL(string: url + path)!)
        request.httpMethod = method
        request.timeoutInterval = 60
        if let body { request.httpBody = Data(body) }
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (key, value) in http.allHeaderFields { fields["\(key)".lowercased()] = "\(value)" }
        return Reply(status: http.statusCode, headers: fields, body: Array(data))
    }

    /// Waits until `condition` holds on the lab's log, or fails after `limit` seconds.
    func waitFor(_ what: String, limit: TimeInterval = 120, _ condition: (Workspace) throws -> Bool) throws {
        do { try daemon.waitFor(limit: limit, condition) } catch {
            throw HarnessFailure("waiting for \(what): \(error)")
        }
    }

    /// Runs the loupe binary on this lab to its end; returns its status and stdout.
    func loupe(_ arguments: [String]) throws -> (Int32, String) {
        let (status, output, _) = try loupeWithErrors(arguments)
        return (status, output)
    }

    /// Runs the loupe binary to its end; returns its status, stdout and stderr.
    func loupeWithErrors(_ arguments: [String]) throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text, errorText)
    }
}

struct Reply {
    let status: Int
    let headers: [String: String]
    let body: [UInt8]

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
    }

    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    var text: String { String(decoding: body, as: UTF8.self) }
}

struct HarnessFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// A small RGB photograph-like image with a dark line, distinct per `seed`, as PNG.
func photoPNG(width: Int = 40, height: Int = 30, seed: Int = 0) throws -> [UInt8] {
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    for y in 0..<height {
        for x in 0..<width {
            let vessel = abs(x - (width / 3 + seed % 7) - y / 3) < 2
            let base = (y * width + x) * 3
            pixels[base] = vessel ? 60 : UInt8(150 + (x * 3 + seed * 11) % 80)
            pixels[base + 1] = vessel ? 20 : UInt8(80 + (y * 5 + seed) % 60)
            pixels[base + 2] = 30
        }
    }
    return try ImageCodec.encodePNG(RasterImage(width: width, height: height, channels: 3, pixels: pixels))
}

/// A grey 0/255 mask PNG, vessel where `vessel(x, y)`.
func maskPNG(width: Int = 40, height: Int = 30, vessel: (Int, Int) -> Bool) throws -> [UInt8] {
    var pixels = [UInt8](repeating: 0, count: width * height)
    for y in 0..<height {
        for x in 0..<width where vessel(x, y) { pixels[y * width + x] = 255 }
    }
    return try ImageCodec.encodePNG(RasterImage(width: width, height: height, channels: 1, pixels: pixels))
}
