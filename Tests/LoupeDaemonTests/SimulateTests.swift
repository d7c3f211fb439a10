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

    @Test func plotOverlaysRunsWithALegendEntryPerStrategy() throws {
        func run(_ strategy: String, f1: [Double]) -> SimulationReport {
            var report = SimulationReport(
                dataset: "/data/stare", annotator: "ah", fov: "masks-fov", strategy: strategy, initial: 2, batch: 2,
                lab: "/tmp/\(strategy)", settings: .init(), images: 6
            )
            report.rounds = f1.enumerated().map { index, f1 in
                SimulationRound(
                    round: index + 1, corrections: 2 * (index + 1), corrected: [], model: nil, validationDice: nil, trainings: [],
                    trainingMs: 0, predictions: 0, predictionMs: 0, seconds: 0, pending: [], meanF1: f1, pooledF1: f1,
                    effortShare: 1 - f1
                )
            }
            return report
        }
        let svg = SimulationPlot(runs: [run("uncertainty", f1: [0.5, 0.7]), run("random:0", f1: [0.4, 0.6])]).svg
        #expect(svg.contains(">uncertainty</text>") && svg.contains(">random:0</text>") && svg.contains("F1 of pending"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 4, "an F1 and an effort line per run")
        #expect(svg.contains("corrections made"))
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
