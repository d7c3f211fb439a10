import Foundation
import LoupeLab

/// `loupe bench scale`: a lab of many small pending images against a real `loupe run`
/// (issue 11): the ingest rate of the burst and the daemon's peak memory, `status` and `queue`
/// latency over HTTP and from the command line, and what a promotion does to the re-prediction
/// sweep (`PromotionSweep`).
package struct ScaleBenchmark: Sendable {
    /// A model small enough that a training takes seconds and a prediction milliseconds: the
    /// benchmark measures the lab's bookkeeping, not the network.
    static let settings = """
        {"model": {"channels": [4, 8], "bottleneck": 16},
         "training": {"epochs": 1},
         "retrain": {"quietSeconds": 0, "minNewCorrections": 2}}
        """
    static let modelDescription = "UNet channels [4, 8], bottleneck 16, 1 epoch a training"

    var images: Int
    var size: Int
    /// Sequential requests per route and condition.
    var requests: Int
    /// Runs of `loupe status` and `loupe queue` each.
    var commandRuns: Int

    package init(images: Int = 10_000, size: Int = 256, requests: Int = 200, commandRuns: Int = 10) {
        self.images = images
        self.size = size
        self.requests = requests
        self.commandRuns = commandRuns
    }

    /// Runs every measurement and returns the table; `say` hears a line as each step starts.
    package func run(say: @escaping @Sendable (String) -> Void) async throws -> String {
        let root = NSTemporaryDirectory() + "loupe-bench-scale-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let lab = "\(root)/lab", staging = "\(root)/staging"
        try Workspace.initialize(at: lab)
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        try Data(Self.settings.utf8).write(to: URL(fileURLWithPath: Workspace.settingsPath(lab: lab)))
        let daemon = try DaemonProcess(lab: lab, log: "\(root)/daemon.log", http: true)
        defer { daemon.stop() }
        guard let url = daemon.url else { throw HarnessError("the daemon serves no HTTP") }
        let client = HTTPClient(base: String(url.dropLast()))
        var table = BenchTable("measure", "samples", "p50 ms", "p99 ms", "result", "goal")

        say("writing \(images) images of \(size)x\(size) into staging/")
        for index in 0..<images {
            try SyntheticDrop.write(index: index, size: size, to: "\(staging)/s\(index).png")
        }
        say("renaming them into inbox/")
        try measureIngest(lab: lab, staging: staging, daemon: daemon, into: &table)
        say("status and queue, nothing changing")
        try await measureReads(client, while: "\(images) pending, log still", into: &table)
        try measureCommands(lab: lab, into: &table)

        let sweep = PromotionSweep(lab: lab, size: size, daemon: daemon)
        say("two corrections; waiting for the first model")
        let first = try sweep.correctAndAwaitPromotion(images: 0..<2, number: 1)
        say("status and queue while the first model's sweep runs")
        try sweep.awaitSweep(of: first.model, count: min(PromotionSweep.sweptBeforeSecond, images / 2))
        try await measureReads(client, while: "the sweep appending", into: &table)
        say("two more corrections; waiting for the second model")
        let second = try sweep.correctAndAwaitPromotion(images: 2..<4, number: 2)
        say("waiting for the queue's head to carry the second model's prediction")
        let report = try sweep.measure(first: first, second: second, into: &table)

        table.add("daemon peak RSS (VmHWM), whole run", "-", "-", "-", String(format: "%.0f MiB", daemon.peakResidentMiB), "-")
        return table.render() + "\nimages \(size)x\(size) RGB PNG; model \(Self.modelDescription); queue strategy "
            + "\(try daemon.workspace().settings.queueStrategy); \(report); "
            + "\(ProcessInfo.processInfo.activeProcessorCount) cores shared by the daemon and the benchmark"
    }

    /// Renames every staged image into inbox/ at once; per image, the time from the first rename
    /// to its ImageIngested.
    private func measureIngest(lab: String, staging: String, daemon: DaemonProcess, into table: inout BenchTable) throws {
        let start = Date()
        for index in 0..<images {
            try FileManager.default.moveItem(atPath: "\(staging)/s\(index).png", toPath: "\(lab)/inbox/s\(index).png")
        }
        try daemon.waitFor(limit: 3600, every: 0.2) { try $0.status().images.values.reduce(0, +) >= images }
        let seen = try daemon.ingestedTimes(prefix: "s", expecting: images)
        let latencies = Latencies(milliseconds: seen.values.map { $0.timeIntervalSince(start) * 1000 })
        let seconds = (seen.values.max() ?? start).timeIntervalSince(start)
        table.add("burst: rename into inbox/ until ImageIngested", "\(seen.count)", Self.ms(latencies.percentile(50)),
                  Self.ms(latencies.percentile(99)), String(format: "%.0f images/s", Double(seen.count) / seconds), "-")
        table.add("daemon peak RSS (VmHWM) after the burst", "-", "-", "-", String(format: "%.0f MiB", daemon.peakResidentMiB), "-")
    }

    /// `requests` sequential GETs of each route, one at a time as a page polls.
    private func measureReads(_ client: HTTPClient, while condition: String, into table: inout BenchTable) async throws {
        for path in ["/api/v1/status", "/api/v1/queue"] {
            var latencies = Latencies()
            for _ in 0..<requests {
                let start = ContinuousClock.now
                let reply = try await client.call("GET", path)
                guard reply.status == 200 else { throw HarnessError("GET \(path): \(reply.status)") }
                latencies.add(ContinuousClock.now - start)
            }
            table.add("GET \(path), \(condition)", "\(latencies.count)", Self.ms(latencies.percentile(50)),
                      Self.ms(latencies.percentile(99)), "-", "p99 < 50 ms")
        }
    }

    /// `loupe status` and `loupe queue` as a user runs them: process start to exit.
    private func measureCommands(lab: String, into table: inout BenchTable) throws {
        for command in ["status", "queue"] {
            var latencies = Latencies()
            for _ in 0..<commandRuns {
                let process = Process()
                process.executableURL = DaemonProcess.ownExecutable
                process.arguments = [command, "--lab", lab]
                process.standardOutput = FileHandle.nullDevice
                let start = ContinuousClock.now
                try process.run()
                process.waitUntilExit()
                guard process.terminationStatus == 0 else { throw HarnessError("loupe \(command) exited with \(process.terminationStatus)") }
                latencies.add(ContinuousClock.now - start)
            }
            table.add("loupe \(command), process start to exit", "\(latencies.count)", Self.ms(latencies.percentile(50)),
                      Self.ms(latencies.percentile(99)), "-", "-")
        }
    }

    static func ms(_ value: Double) -> String { String(format: "%.1f", value) }
}
