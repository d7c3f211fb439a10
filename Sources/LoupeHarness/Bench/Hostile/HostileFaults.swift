import Foundation
import LoupeLab

/// Faults of the process rather than of a request (issue 21's kinds 5 to 7), each against a
/// real `loupe run` on one lab that trains tiny models: a full disk while a training is
/// recorded, an error the daemon cannot survive, a warm start the new architecture cannot
/// use, and the memory an idle daemon keeps after its trainings.
struct HostileFaults {
    static let settings = """
        {"model": {"channels": [4, 8], "bottleneck": 8},
         "training": {"epochs": 2, "batchSize": 4, "augment": [{"type": "crop", "size": 16, "count": 4}]},
         "retrain": {"quietSeconds": 0, "minNewCorrections": 2, "validationEvery": 1000, "minValidationDice": 0},
         "watch": {"rescanSeconds": 0.5, "settleMilliseconds": 100}}
        """

    let root: String
    let lab: String
    let scratch: String
    /// While this file exists, every object write of the daemon fails with the code it holds.
    let fault: String
    private var next = 1

    init(root: String) throws {
        self.root = root
        lab = "\(root)/faults-lab"
        scratch = "\(root)/faults-scratch"
        fault = "\(root)/faults-disk"
        try Workspace.initialize(at: lab)
        try Data(Self.settings.utf8).write(to: URL(fileURLWithPath: Workspace.settingsPath(lab: lab)))
        for folder in ["images", "masks"] {
            try FileManager.default.createDirectory(atPath: "\(scratch)/\(folder)", withIntermediateDirectories: true)
        }
    }

    static func run(root: String, say: (String) -> Void) throws -> (table: BenchTable, wrong: Int) {
        var faults = try HostileFaults(root: root)
        var table = BenchTable("fault", "outcome", "as it should", "peak RSS MiB")
        var wrong = 0
        // A case that cannot finish is a row that says so, with the daemon's last words.
        func add(_ name: String, index: Int, _ run: () throws -> (String, Bool, Double)) {
            say("faults: \(name)")
            let result: (String, Bool, Double)
            do { result = try run() } catch {
                let lines = faults.log(index).split(separator: "\n")
                let last = (lines.first { $0.contains("failed") || $0.contains("Training") } ?? lines.last).map { String($0.suffix(200)) } ?? "no log"
                result = ("\(error); log: \(last)", false, 0)
            }
            if !result.1 { wrong += 1 }
            table.add(name, result.0, result.1 ? "yes" : "NO", String(format: "%.0f", result.2))
        }
        add("full disk while a training is recorded", index: 1) { try faults.fullDisk() }
        add("warm start the new architecture cannot use", index: 2) { try faults.changedArchitecture() }
        add("an error the daemon cannot survive", index: 3) { try faults.fatal() }
        return (table, wrong)
    }

    /// ENOSPC while the model is stored: the daemon waits with the result in memory and records
    /// it once when the disk has room; its idle memory afterwards is near where it started.
    mutating func fullDisk() throws -> (String, Bool, Double) {
        try addCorrectedImages(2)
        try Data("ENOSPC".utf8).write(to: URL(fileURLWithPath: fault))
        let daemon = try DaemonProcess(lab: lab, log: "\(root)/faults-1.log", environment: ["LOUPE_FAULT_OBJECT_WRITES": fault])
        defer { daemon.stop() }
        let started = daemon.residentMiB
        try daemon.waitFor(limit: 120) { _ in log(1).contains("its result waits in memory") }
        try FileManager.default.removeItem(atPath: fault)
        try daemon.waitFor(limit: 120) { try !$0.events(type: .modelTrained).isEmpty }
        try daemon.checkAlive()
        usleep(500_000)
        let idle = daemon.residentMiB, peak = daemon.peakResidentMiB
        // Run 1's own stream: trained once and recorded once, whatever later runs do.
        let run1 = try daemon.workspace().events().filter { $0.stream == "run-1" }.map(\.type)
        let once = run1.filter { $0 == "TrainingStarted" }.count == 1 && run1.filter { $0 == "ModelTrained" }.count == 1
            && !run1.contains("TrainingFailed")
        // Back near the start: within half the climb to the peak, or 16 MiB when the climb is small.
        let settled = idle <= started + max(16, (peak - started) / 2)
        let outcome = "waited, recorded once; idle \(Int(idle)) MiB (start \(Int(started)))"
        return (outcome, once && settled, peak)
    }

    /// model.channels changed with warmStart on: the next training starts cold instead of failing.
    mutating func changedArchitecture() throws -> (String, Bool, Double) {
        try addCorrectedImages(2)
        let settings = Self.settings.replacingOccurrences(of: "[4, 8]", with: "[6, 8]")
        try Data(settings.utf8).write(to: URL(fileURLWithPath: Workspace.settingsPath(lab: lab)))
        let trainedBefore = try Workspace(at: lab, readOnly: true).events(type: .modelTrained).count
        let daemon = try DaemonProcess(lab: lab, log: "\(root)/faults-2.log")
        defer { daemon.stop() }
        try daemon.waitFor(limit: 180) { try $0.events(type: .modelTrained).count > trainedBefore || !$0.events(type: .trainingFailed).isEmpty }
        let failed = try daemon.workspace().events(type: .trainingFailed).count
        return (failed == 0 ? "trained cold, no failure" : "\(failed) TrainingFailed", failed == 0, daemon.peakResidentMiB)
    }

    /// EROFS while the model is stored: the daemon stops, nonzero, saying why.
    mutating func fatal() throws -> (String, Bool, Double) {
        try addCorrectedImages(2)
        try Data("EROFS".utf8).write(to: URL(fileURLWithPath: fault))
        defer { try? FileManager.default.removeItem(atPath: fault) }
        let daemon = try DaemonProcess(lab: lab, log: "\(root)/faults-3.log", environment: ["LOUPE_FAULT_OBJECT_WRITES": fault])
        defer { daemon.stop() }
        let peak = daemon.peakResidentMiB
        guard let status = daemon.exitStatus(within: 180) else { return ("still running", false, peak) }
        let said = log(3).contains("Error: the daemon stopped")
        return ("exit \(status)\(said ? ", said why" : "")", status != 0 && said, peak)
    }

    func log(_ index: Int) -> String {
        (try? String(contentsOfFile: "\(root)/faults-\(index).log", encoding: .utf8)) ?? ""
    }

    /// Ingests `count` new synthetic images with their masks through `loupe ingest`, while no
    /// daemon runs, so the next daemon's first act is a training.
    private mutating func addCorrectedImages(_ count: Int) throws {
        var images: [String] = [], masks: [String] = []
        for _ in 0..<count {
            // The mask is named as its image, in another folder: `loupe ingest --corrections` pairs them by name.
            let image = "\(scratch)/images/im\(next).png", mask = "\(scratch)/masks/im\(next).png"
            try SyntheticDrop.write(index: next, size: 32, to: image)
            try SyntheticDrop.write(index: next, size: 32, mask: true, to: mask)
            images.append(image)
            masks.append(mask)
            next += 1
        }
        for arguments in [["ingest", "--lab", lab] + images, ["ingest", "--lab", lab, "--corrections"] + masks] {
            let process = Process()
            process.executableURL = DaemonProcess.ownExecutable
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw HarnessError("loupe \(arguments.joined(separator: " ")) failed") }
        }
    }
}
