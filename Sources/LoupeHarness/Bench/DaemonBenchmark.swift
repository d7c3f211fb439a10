import Foundation
import LoupeLab
import LoupeVision

/// `loupe bench daemon`: ingestion latency while a training runs, and throughput for a burst
/// of files, against a real `loupe run` child process.
package struct DaemonBenchmark {
    /// Images renamed into inbox/ one by one while the training runs.
    var latencyImages: Int
    /// Milliseconds between two renames.
    var intervalMs: Int
    /// Images dropped at once for the throughput run.
    var burst: Int
    /// Side of the square synthetic images, in pixels.
    var size: Int

    package init(latencyImages: Int, intervalMs: Int, burst: Int, size: Int) {
        self.latencyImages = latencyImages
        self.intervalMs = intervalMs
        self.burst = burst
        self.size = size
    }

    /// Runs every measurement and returns the table to print.
    package func run() throws -> String {
        let root = NSTemporaryDirectory() + "loupe-bench-daemon-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let lab = "\(root)/lab", staging = "\(root)/staging"
        try Workspace.initialize(at: lab)
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        // The default model on a budget it will not finish: training runs for the whole measurement.
        try Data(#"{"training": {"epochs": 100000}, "retrain": {"quietSeconds": 0}}"#.utf8)
            .write(to: URL(fileURLWithPath: Workspace.settingsPath(lab: lab)))
        let daemon = try DaemonProcess(lab: lab)
        defer { daemon.stop() }

        for index in 0..<2 {
            try SyntheticDrop.write(index: index, size: size, to: "\(lab)/inbox/seed\(index).png")
        }
        try daemon.waitFor { try $0.events(type: .imageIngested).count == 2 }
        for index in 0..<2 {
            try SyntheticDrop.write(index: index, size: size, mask: true, to: "\(lab)/corrections/seed\(index).png")
        }
        try daemon.waitFor { try !$0.events(type: .trainingStarted).isEmpty }

        var table = BenchTable("measure", "files", "p50 ms", "p99 ms", "max ms", "files/s", "missed")
        try measureLatency(lab: lab, staging: staging, daemon: daemon, prewritten: true, into: &table)
        try measureLatency(lab: lab, staging: staging, daemon: daemon, prewritten: false, into: &table)
        try measureBurst(lab: lab, staging: staging, daemon: daemon, into: &table)
        let training = try daemon.workspace().events(type: .modelTrained).isEmpty ? "still running" : "finished"
        return table.render() + "\ntraining during the measurements: \(training); settle time 500 ms; images \(size)x\(size) RGB PNG"
    }

    /// Rename into inbox/ -> ImageIngested, per file. `prewritten`: the file was written a while
    /// before its rename (a pipeline's finished output); otherwise written just before it, so
    /// the settle time applies.
    private func measureLatency(lab: String, staging: String, daemon: DaemonProcess, prewritten: Bool, into table: inout BenchTable) throws {
        let label = prewritten ? "rename of a finished file" : "write + immediate rename"
        let prefix = prewritten ? "late" : "fresh"
        if prewritten {
            for index in 0..<latencyImages {
                try SyntheticDrop.write(index: 10_000 + index, size: size, to: "\(staging)/\(prefix)\(index).png")
            }
            Thread.sleep(forTimeInterval: 1)
        }
        var renamedAt: [String: Date] = [:]
        for index in 0..<latencyImages {
            let name = "\(prefix)\(index).png"
            if !prewritten { try SyntheticDrop.write(index: 20_000 + index, size: size, to: "\(staging)/\(name)") }
            renamedAt[name] = Date()
            try FileManager.default.moveItem(atPath: "\(staging)/\(name)", toPath: "\(lab)/inbox/\(name)")
            Thread.sleep(forTimeInterval: Double(intervalMs) / 1000)
        }
        let seen = try daemon.ingestedTimes(prefix: prefix, expecting: latencyImages)
        let latencies = renamedAt.compactMap { name, start in seen[name].map { $0.timeIntervalSince(start) * 1000 } }.sorted()
        table.add(label, "\(latencyImages)", format(percentile(latencies, 0.5)), format(percentile(latencies, 0.99)),
                  format(latencies.last ?? 0), "-", "\(latencyImages - latencies.count)")
    }

    private func measureBurst(lab: String, staging: String, daemon: DaemonProcess, into table: inout BenchTable) throws {
        for index in 0..<burst {
            try SyntheticDrop.write(index: 30_000 + index, size: size, to: "\(staging)/burst\(index).png")
        }
        Thread.sleep(forTimeInterval: 1)
        let start = Date()
        for index in 0..<burst {
            try FileManager.default.moveItem(atPath: "\(staging)/burst\(index).png", toPath: "\(lab)/inbox/burst\(index).png")
        }
        let seen = try daemon.ingestedTimes(prefix: "burst", expecting: burst)
        let last = seen.values.max() ?? start
        let latencies = seen.values.map { $0.timeIntervalSince(start) * 1000 }.sorted()
        table.add("\(burst) dropped at once", "\(burst)", format(percentile(latencies, 0.5)), format(percentile(latencies, 0.99)),
                  format(latencies.last ?? 0), String(format: "%.0f", Double(seen.count) / last.timeIntervalSince(start)),
                  "\(burst - seen.count)")
    }

    private func percentile(_ sorted: [Double], _ p: Double) -> Double {
        sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }

    private func format(_ value: Double) -> String { String(format: "%.0f", value) }
}

/// Distinct synthetic fundus-like PNGs and masks, written whole.
enum SyntheticDrop {
    static func write(index: Int, size: Int, mask: Bool = false, to path: String) throws {
        try Data(png(index: index, width: size, height: size, mask: mask)).write(to: URL(fileURLWithPath: path))
    }

    static func png(index: Int, width: Int, height: Int, mask: Bool = false) throws -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: width * height * (mask ? 1 : 3))
        for y in 0..<height {
            for x in 0..<width {
                let vessel = (x + index * 7) % 23 < 3 || (y + index) % 29 == 0
                if mask {
                    pixels[y * width + x] = vessel ? 255 : 0
                } else {
                    let i = (y * width + x) * 3
                    pixels[i] = 190
                    pixels[i + 1] = vessel ? 60 : UInt8(140 + (x ^ y ^ index) % 50)
                    pixels[i + 2] = UInt8(truncatingIfNeeded: index)
                }
            }
        }
        return try ImageCodec.encodePNG(RasterImage(width: width, height: height, channels: mask ? 1 : 3, pixels: pixels))
    }
}
