import Foundation
import LoupeLab
import LoupeLedger
import LoupeVision
import Synchronization

/// A lab in a temporary folder with a model small enough to train in a second or two, and a
/// real `loupe run` process on it.
final class DaemonHarness {
    let root: String
    private(set) var process: Process?
    private var logIndex = 0

    static let tinySettings = """
        {"model": {"channels": [4, 8], "bottleneck": 8},
         "training": {"epochs": 2, "batchSize": 4, "augment": [{"type": "crop", "size": 32, "count": 4}, {"type": "flip", "horizontal": 0.5, "vertical": 0.5}]},
         "retrain": {"quietSeconds": 0.3, "minNewCorrections": 2},
         "watch": {"rescanSeconds": 0.5, "settleMilliseconds": 300}}
        """

    init(settings: String = DaemonHarness.tinySettings) throws {
        root = NSTemporaryDirectory() + "loupe-daemon-test-\(UUID().uuidString)"
        try Workspace.initialize(at: root)
        try Data(settings.utf8).write(to: URL(fileURLWithPath: "\(root)/loupe.json"))
    }

    deinit {
        if let process, process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process?.waitUntilExit()
        try? FileManager.default.removeItem(atPath: root)
    }

    static var binary: String {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("loupe").path
        if FileManager.default.isExecutableFile(atPath: besideTests) { return besideTests }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/debug/loupe").standardized.path
    }

    /// Runs the loupe binary to its end, in this process's environment unless given one;
    /// returns its status and stdout.
    static func runLoupe(_ arguments: [String], in directory: String? = nil, environment: [String: String]? = nil) throws -> (Int32, String) {
        let (status, output, _) = try launchLoupe(arguments, in: directory, environment: environment, capturingErrors: false)
        return (status, output)
    }

    /// The same, also returning stderr (read after stdout, so only for commands that say little there).
    static func runLoupeCapturingErrors(_ arguments: [String]) throws -> (Int32, String, String) {
        try launchLoupe(arguments, in: nil, environment: nil, capturingErrors: true)
    }

    private static func launchLoupe(
        _ arguments: [String], in directory: String?, environment: [String: String]?, capturingErrors: Bool
    ) throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = capturingErrors ? errors : FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errorText = capturingErrors ? String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) : ""
        process.waitUntilExit()
        return (process.terminationStatus, text, errorText)
    }

    /// Starts `loupe run` with `environment` added to this process's.
    func start(environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["run", "--lab", root, "--no-http"]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        logIndex += 1
        let log = "\(root)/daemon-\(logIndex).log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: log)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        self.process = process
        try waitFor("the daemon to start") { try $0.events(type: .daemonStarted).count >= self.logIndex }
    }

    func signal(_ number: Int32) throws -> Int32 {
        guard let process else { return -1 }
        kill(process.processIdentifier, number)
        process.waitUntilExit()
        self.process = nil
        return process.terminationStatus
    }

    /// Waits for a daemon that stops by itself; returns its exit status.
    func waitForExit() -> Int32 {
        guard let process else { return -1 }
        process.waitUntilExit()
        self.process = nil
        return process.terminationStatus
    }

    var isRunning: Bool { process?.isRunning ?? false }

    var ledger: Ledger { get throws { try Ledger(path: "\(root)/loupe.sqlite", readOnly: true) } }

    func types() throws -> [String] { try ledger.events().map(\.type) }

    /// Polls the log until `condition` holds. The limit only turns a hang into a failure; no
    /// test asserts on how long anything took.
    func waitFor(_ what: String, limit: TimeInterval = 120, pollMicroseconds: useconds_t = 50_000, _ condition: (Ledger) throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            if try condition(try ledger) { return }
            usleep(pollMicroseconds)
        }
        throw HarnessError.timedOut(what, try types(), log: daemonLog)
    }

    var daemonLog: String {
        (1...max(1, logIndex)).map { (try? String(contentsOfFile: "\(root)/daemon-\($0).log", encoding: .utf8)) ?? "" }.joined()
    }

    func drop(_ bytes: [UInt8], as name: String, into folder: String) throws {
        let temporary = "\(root)/\(folder)/.\(name).tmp"
        try Data(bytes).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, "\(root)/\(folder)/\(name)") == 0 else { throw HarnessError.cannotDrop(name) }
    }

    func listing(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\(folder)")) ?? []).sorted()
    }
}

enum HarnessError: Error, CustomStringConvertible {
    case timedOut(String, [String], log: String)
    case cannotDrop(String)

    var description: String {
        switch self {
        case .timedOut(let what, let types, let log): "gave up waiting for \(what); events: \(types)\ndaemon log:\n\(log)"
        case .cannotDrop(let name): "cannot drop \(name)"
        }
    }
}

/// A 64x48 fundus-like image with dark vessel lines, and its vessel mask.
enum Synthetic {
    static func image(seed: Int, width: Int = 64, height: Int = 48) -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let i = (y * width + x) * 3
                let vessel = isVessel(x, y, seed)
                pixels[i] = 200
                pixels[i + 1] = vessel ? 50 : UInt8(150 + (x + y * seed) % 40)
                pixels[i + 2] = 80
            }
        }
        return try! ImageCodec.encodePNG(RasterImage(width: width, height: height, channels: 3, pixels: pixels))
    }

    static func mask(seed: Int) -> [UInt8] {
        let (width, height) = (64, 48)
        let pixels = (0..<width * height).map { isVessel($0 % width, $0 / width, seed) ? UInt8(255) : 0 }
        return try! ImageCodec.encodePNG(RasterImage(width: width, height: height, channels: 1, pixels: pixels))
    }

    private static func isVessel(_ x: Int, _ y: Int, _ seed: Int) -> Bool {
        (x + seed * 3) % 11 < 2 || (y + seed) % 13 == 0
    }
}
