import Foundation
import LoupeLab

/// `loupe bench hostile`: replays issue 9's corpus of bad files and conditions against a real
/// daemon on a scratch lab and prints, per case, what happened, whether that is what should,
/// the files lost (the bytes of a dropped file found nowhere) and the daemon's peak memory.
package struct HostileBenchmark {
    static let settings = """
        {"model": {"channels": [4, 8], "bottleneck": 8},
         "training": {"epochs": 1, "batchSize": 4, "augment": [{"type": "crop", "size": 32, "count": 2}]},
         "retrain": {"quietSeconds": 1, "minNewCorrections": 2},
         "watch": {"rescanSeconds": 0.5, "settleMilliseconds": 300}}
        """

    let cases: [HostileCase]
    /// Whether the doors beside the folders (HTTP, Label Studio) are tried too.
    let doors: Bool

    /// `only`: run just the folder cases whose name contains it; the doors only without it.
    package init(only: String? = nil) {
        cases = HostileCorpus.all.filter { only == nil || $0.name.contains(only!) }
        doors = only == nil || only == "doors"
    }

    /// Runs every case; `say` hears one line as each case starts. Returns the table.
    package func run(say: (String) -> Void) throws -> String {
        let root = NSTemporaryDirectory() + "loupe-bench-hostile-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let lab = "\(root)/lab", scratch = "\(root)/scratch"
        try Workspace.initialize(at: lab)
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        try Data(Self.settings.utf8).write(to: URL(fileURLWithPath: Workspace.settingsPath(lab: lab)))
        let daemon = try DaemonProcess(lab: lab, log: "\(root)/daemon.log")
        defer { daemon.stop() }
        let context = HostileContext(lab: lab, daemon: daemon, scratch: scratch)

        var table = BenchTable("case", "outcome", "as it should", "files", "lost", "peak RSS MiB")
        var lostInAll = 0, wrong = 0
        for hostile in cases {
            say(hostile.name)
            daemon.resetPeakMemory()
            let result = try hostile.run(context)
            try daemon.checkAlive()
            let account = DropAccount(lab: lab)
            let lost = result.files.filter { account.whereabouts(of: $0) == .lost }.count
            lostInAll += lost
            if !result.asExpected { wrong += 1 }
            table.add(hostile.name, result.outcome, result.asExpected ? "yes" : "NO", "\(result.files.count)", "\(lost)",
                      String(format: "%.0f", daemon.peakResidentMiB))
        }
        let verify = try context.loupe(["verify", "--lab", lab]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        var report = cases.isEmpty ? "" : table.render() + "\n\(cases.count) cases, \(wrong) not as they should be, \(lostInAll) files lost; verify: \(verify)"
        if doors {
            let (doorTable, doorsWrong) = try HostileDoors.run(root: root, say: say)
            report += (report.isEmpty ? "" : "\n\n") + doorTable.render() + "\n\(doorTable.rows.count) cases through HTTP and Label Studio, \(doorsWrong) not as they should be"
            let (faultTable, faultsWrong) = try HostileFaults.run(root: root, say: say)
            report += "\n\n" + faultTable.render() + "\n\(faultTable.rows.count) process faults, \(faultsWrong) not as they should be"
        }
        return report
    }
}
