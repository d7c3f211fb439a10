import Foundation
import LoupeDaemon
import LoupeLab

/// `loupe bench soak`: the resident memory of a real `loupe run` over many small trainings.
/// A daemon that runs for weeks must come back near its starting size after every training
/// and the re-prediction sweep that follows it (issue 21), so each row is read once the
/// daemon is idle again, beside the peak since it started.
package struct MemorySoak {
    var trainings: Int
    /// Side of the square synthetic images, in pixels.
    var size: Int
    var epochs: Int
    /// The loupe binary, when this process is not it (a test).
    var executable: String?

    package init(trainings: Int, size: Int, epochs: Int, executable: String? = nil) {
        self.trainings = trainings
        self.size = size
        self.epochs = epochs
        self.executable = executable
    }

    /// What the soak measured, in MiB.
    package struct Report: Sendable {
        package struct Row: Sendable {
            package var idle: Double
            package var peak: Double
        }

        package var start: Double
        package var anonymousAtStart: Double
        /// One a training, read once the daemon is idle after it.
        package var rows: [Row] = []
        /// Resident memory that is the process's own, not mapped files (code, libraries): what
        /// a cache or memory kept by the allocator grows.
        package var anonymousAtEnd: Double = 0
        var predictions = 0
        var settings = ""

        package func render() -> String {
            var table = BenchTable("after", "idle RSS MiB", "peak MiB")
            table.add("start", Self.format(start), Self.format(start))
            for (index, row) in rows.enumerated() { table.add("training \(index + 1)", Self.format(row.idle), Self.format(row.peak)) }
            return table.render() + """

                anonymous (not mapped files: code, libraries): \(Self.format(anonymousAtStart)) MiB at the start, \(Self.format(anonymousAtEnd)) MiB at the end
                \(rows.count) trainings of the default model (\(settings)), \(predictions) predictions
                CPU: \(Machine.cpuModel)
                """
        }

        static func format(_ mib: Double) -> String { String(format: "%.0f", mib) }
    }

    package func run(progress: (String) -> Void) throws -> Report {
        let root = NSTemporaryDirectory() + "loupe-bench-soak-\(getpid())-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let lab = "\(root)/lab"
        try Workspace.initialize(at: lab)
        // The default model; every correction trains at once, and every model serves, so each
        // training is followed by a sweep over the pending images.
        let settings = """
            {"training": {"epochs": \(epochs), "augment": [{"type": "crop", "size": \(size / 2), "count": 4}, {"type": "flip"}]},
             "retrain": {"quietSeconds": 0, "minNewCorrections": 1, "minValidationDice": 0}}
            """
        try Data(settings.utf8).write(to: URL(fileURLWithPath: Workspace.settingsPath(lab: lab)))
        let daemon = try DaemonProcess(lab: lab, executable: executable)
        defer { daemon.stop() }

        for index in 0..<4 { try SyntheticDrop.write(index: 1000 + index, size: size, to: "\(lab)/inbox/pending\(index).png") }
        try daemon.waitFor { try $0.events(type: .imageIngested).count == 4 }
        var report = Report(start: daemon.residentMiB, anonymousAtStart: daemon.anonymousResidentMiB)
        for training in 1...trainings {
            try SyntheticDrop.write(index: training, size: size, to: "\(lab)/inbox/im\(training).png")
            try SyntheticDrop.write(index: training, size: size, mask: true, to: "\(lab)/corrections/im\(training).png")
            try daemon.waitFor(every: 0.2) { workspace in
                try workspace.events(type: .modelTrained).count == training && Self.isIdle(lab: lab)
            }
            report.rows.append(Report.Row(idle: daemon.residentMiB, peak: daemon.peakResidentMiB))
            progress("training \(training): \(Report.format(daemon.residentMiB)) MiB idle")
        }
        report.anonymousAtEnd = daemon.anonymousResidentMiB
        report.predictions = try daemon.workspace().events(type: .predictionMade).count
        report.settings = "\(epochs) epoch\(epochs == 1 ? "" : "s"), 4 crops of \(size / 2) px per image; \(size)x\(size) images"
        return report
    }

    /// Nothing running and nothing due: the scheduling rule has no work left, and the daemon
    /// says it is idle (a prediction that just ended has been recorded).
    static func isIdle(lab: String) throws -> Bool {
        try DaemonIdleness.isIdle(lab: lab) && DaemonStatus.read(lab: lab)?.activity == .idle
    }
}
