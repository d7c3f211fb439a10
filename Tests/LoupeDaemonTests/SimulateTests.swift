import Foundation
import LoupeLedger
import LoupeVision
import Testing
@testable import LoupeHarness

/// `loupe simulate` end to end: a real process driving a real daemon on a tiny dataset the
/// test writes, checked against the lab's own log.
@Suite(.serialized) struct SimulateTests {
    /// Few epochs per training, warm-started: the first model is weak and each round's
    /// training adds to the last, so the pending predictions improve round after round.
    static let settings = """
        {"model": {"channels": [4, 8], "bottleneck": 8},
         "training": {"epochs": 2, "batchSize": 4, "learningRate": 0.01, "augment": [{"type": "crop", "size": 32, "count": 4}, {"type": "flip", "horizontal": 0.5, "vertical": 0.5}]},
         "retrain": {"quietSeconds": 1.5, "minNewCorrections": 2},
         "watch": {"rescanSeconds": 0.5, "settleMilliseconds": 200}}
        """

    @Test func aSimulatedExpertCorrectsEveryImageAndThePendingPredictionsImprove() throws {
        let lab = try DaemonHarness(settings: Self.settings)
        let dataset = try Self.writeDataset(images: 10)
        defer { try? FileManager.default.removeItem(atPath: dataset) }
        let out = "\(lab.root)/simulate"

        let (status, output) = try DaemonHarness.runLoupe([
            "simulate", "--dataset", dataset, "--annotator", "ah", "--fov", "masks-fov", "--initial", "2", "--batch", "2",
            "--strategy", "uncertainty", "--lab", lab.root, "--out", out,
        ])
        let daemonLog = (try? String(contentsOfFile: "\(out)/daemon.log", encoding: .utf8)) ?? ""
        try #require(status == 0, "simulate failed:\n\(output)\n\(daemonLog)")
        let report = try JSONDecoder().decode(SimulationReport.self, from: Data(contentsOf: URL(fileURLWithPath: "\(out)/simulate.json")))

        #expect(report.complete)
        #expect(report.rounds.map(\.corrections) == [2, 4, 6, 8, 10])
        #expect(report.rounds.map(\.pending.count) == [8, 6, 4, 2, 0])
        #expect(report.rounds[0].corrected.allSatisfy { $0.basedOnModel == nil && $0.share == 1 }, "the first masks are drawn from scratch")
        #expect(report.rounds[0].corrected.allSatisfy { $0.centerline?.share == 1 && $0.centerline?.falseLength == 0 })
        #expect(report.rounds[0].centerlineEffort == 1)
        #expect(report.rounds.dropLast().allSatisfy { round in
            round.pendingCenterlineEffort != nil && round.pending.allSatisfy { $0.centerline != nil }
        })
        #expect(report.rounds.last?.pendingCenterlineEffort == nil, "nothing pending after the last round")
        #expect(output.contains("pending centerline"))

        var accepted: [String] = []
        try lab.ledger.forEachEvent(type: .correctionAccepted) { row in
            if case .correctionAccepted(let e) = try row.decoded() { accepted.append(e.image) }
        }
        #expect(report.rounds.flatMap(\.corrected).map(\.image) == accepted)
        #expect(Set(accepted).count == 10)

        let scored = report.rounds.compactMap(\.meanF1)
        let first = try #require(scored.first), last = try #require(scored.last)
        #expect(scored.count == 4)
        #expect(last > first + 0.1, "F1 of pending predictions by round: \(scored)")
        #expect(output.contains("pooled F1"))
        #expect(FileManager.default.fileExists(atPath: "\(out)/simulate.svg"))

        for command in [["verify"], ["replay", "--check"]] {
            let (status, output) = try DaemonHarness.runLoupe(command + ["--lab", lab.root])
            #expect(status == 0 && output.hasPrefix("ok: "), "loupe \(command.joined(separator: " ")): \(output)")
        }
    }

    @Test func ctrlCStopsTheDaemonCleanlyAndKeepsTheFinishedRounds() throws {
        let lab = try DaemonHarness(settings: Self.settings)
        let dataset = try Self.writeDataset(images: 10)
        defer { try? FileManager.default.removeItem(atPath: dataset) }
        let out = "\(lab.root)/simulate"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: DaemonHarness.binary)
        process.arguments = ["simulate", "--dataset", dataset, "--initial", "2", "--batch", "2", "--lab", lab.root, "--out", out]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        try lab.waitFor("the first round in simulate.json") { _ in
            FileManager.default.fileExists(atPath: "\(out)/simulate.json")
        }
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()

        #expect(process.terminationStatus == 130)
        let report = try JSONDecoder().decode(SimulationReport.self, from: Data(contentsOf: URL(fileURLWithPath: "\(out)/simulate.json")))
        #expect(!report.complete)
        #expect(!report.rounds.isEmpty && report.rounds.count < 5)
        #expect(try lab.types().last == "DaemonStopped", "the daemon got one SIGTERM and finished its work")
        for command in [["verify"], ["replay", "--check"]] {
            let (status, output) = try DaemonHarness.runLoupe(command + ["--lab", lab.root])
            #expect(status == 0 && output.hasPrefix("ok: "), "loupe \(command.joined(separator: " ")): \(output)")
        }
    }

    @Test func seedsRunOneSimulationPerSeedInLabsOfTheirOwnAndSummariseThem() throws {
        let parent = NSTemporaryDirectory() + "loupe-simulate-seeds-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: parent) }
        try Data(Self.settings.utf8).write(to: URL(fileURLWithPath: "\(parent)/loupe.json"))
        let dataset = try Self.writeDataset(images: 6)
        defer { try? FileManager.default.removeItem(atPath: dataset) }

        let (status, output) = try DaemonHarness.runLoupe([
            "simulate", "--dataset", dataset, "--fov", "masks-fov", "--initial", "2", "--batch", "2", "--rounds", "2",
            "--strategy", "random", "--seeds", "5,9", "--lab", parent,
        ])
        try #require(status == 0, "simulate --seeds failed:\n\(output)")
        for seed in [5, 9] {
            let report = try JSONDecoder().decode(
                SimulationReport.self, from: Data(contentsOf: URL(fileURLWithPath: "\(parent)/simulate/seed-\(seed)/simulate.json")))
            #expect(report.complete && report.rounds.map(\.corrections) == [2, 4])
            #expect(report.strategy == "random:\(seed)" && report.settings.training.seed == UInt64(seed))
            #expect(report.settings.training.budget == .epochs(2), "the parent's loupe.json is the template")
            #expect(report.rounds[0].corrected.allSatisfy { $0.centerline?.share == 1 }, "drawn from scratch: the whole centerline")
            #expect(report.rounds.allSatisfy { $0.pendingCenterlineEffort != nil && $0.pendingStrokes != nil && $0.pendingPixelShare != nil })
            #expect(report.rounds[1].centerlineEffort != nil && report.rounds[1].strokes != nil)
            #expect(try Ledger(path: "\(parent)/seed-\(seed)/loupe.sqlite", readOnly: true).events(type: .imageIngested).count == 6)
        }
        let summary = try String(contentsOfFile: "\(parent)/simulate/summary.txt", encoding: .utf8)
        #expect(summary.contains("centerline effort") && summary.contains("random"))
        let svg = try String(contentsOfFile: "\(parent)/simulate/summary.svg", encoding: .utf8)
        #expect(svg.contains(">random (2 runs)</text>") && svg.contains(#"class="band" data-strategy="random" data-measure="centerline""#))
        #expect(output.contains("seed 5") && output.contains("seed 9") && output.contains("strokes per image"))
    }

    @Test func hostileSeedListsAreRefusedBeforeAnythingRuns() throws {
        let parent = NSTemporaryDirectory() + "loupe-simulate-hostile-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let cases = [
            ("", "Missing value for '--seeds <seeds>'"), (" ", "--seeds is empty"), ("a,b", "seed 'a' is not a whole number"), ("-1", "seed -1 is negative"),
            ("1,1", "seed 1 is given twice"), (Array(repeating: "7", count: 5000).joined(separator: ","), "--seeds lists 5000 seeds; at most 20"),
            ("99999999999999999999", "seed '99999999999999999999' is not a whole number"),
        ]
        for (seeds, message) in cases {
            let (status, _, errors) = try DaemonHarness.runLoupeCapturingErrors([
                "simulate", "--dataset", "/nonexistent", "--lab", parent, "--seeds=\(seeds)",
            ])
            #expect(status == 64, "--seeds '\(seeds.prefix(20))' exits as a usage error")
            #expect(errors.contains(message), "--seeds '\(seeds.prefix(20))': \(errors.prefix(300))")
        }
        #expect(!FileManager.default.fileExists(atPath: parent), "nothing was created")
    }

    /// images/, labels-ah/ and masks-fov/ as in the STARE folder, from the harness's synthetic
    /// vessel images.
    private static func writeDataset(images: Int) throws -> String {
        let root = NSTemporaryDirectory() + "loupe-simulate-dataset-\(UUID().uuidString)"
        for folder in ["images", "labels-ah", "masks-fov"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(folder)", withIntermediateDirectories: true)
        }
        let (width, height) = (64, 48)
        let fov = (0..<width * height).map { i -> UInt8 in
            let dx = Double(i % width - width / 2) / Double(width / 2), dy = Double(i / width - height / 2) / Double(height / 2)
            return dx * dx + dy * dy <= 1.1 ? 255 : 0
        }
        let fovPNG = try ImageCodec.encodePNG(RasterImage(width: width, height: height, channels: 1, pixels: fov))
        for seed in 1...images {
            let id = String(format: "s%02d", seed)
            try Data(Synthetic.image(seed: seed)).write(to: URL(fileURLWithPath: "\(root)/images/\(id).png"))
            try Data(Synthetic.mask(seed: seed)).write(to: URL(fileURLWithPath: "\(root)/labels-ah/\(id).ah.png"))
            try Data(fovPNG).write(to: URL(fileURLWithPath: "\(root)/masks-fov/\(id).fov.png"))
        }
        return root
    }
}
