import ArgumentParser
import Foundation
import LoupeLedger

struct BenchLedger: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Append, durable append, replay and verify throughput on synthetic events."
    )

    @Option(help: "Events for the batched append, replay and verify.")
    var events = 1_000_000

    @Option(help: "Events per append transaction.")
    var batch = 10_000

    @Option(help: "Durable single-event appends (one transaction and fsync each).")
    var single = 2_000

    @Option(help: "Folder for the scratch database (default: a new temporary folder).")
    var directory: String?

    @Option(help: "Measures to run, comma-separated: append,single,replay,verify (append always runs).")
    var only = "append,single,replay,verify"

    func run() throws {
        let folder = directory ?? NSTemporaryDirectory() + "loupe-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: folder) } }
        let ledger = try Ledger(path: "\(folder)/bench.sqlite")
        let pending = (0..<events).map(Self.event)
        let phases = Set(only.split(separator: ",").map(String.init))
        // Wall time is what a user waits; CPU time (this thread's) is what the code costs, and
        // stays comparable when other builds share the machine.
        var table = BenchTable("measure", "events", "seconds", "events/s", "cpu s", "events/cpu s")
        func add(_ name: String, _ count: Int, _ time: (wall: Double, cpu: Double)) {
            table.add(name, "\(count)", seconds(time.wall), rate(count, time.wall), seconds(time.cpu), rate(count, time.cpu))
        }

        let appendTime = try measure {
            for start in stride(from: 0, to: pending.count, by: batch) {
                try ledger.append(Array(pending[start..<min(start + batch, pending.count)]))
            }
        }
        add("batched append (\(batch)/tx)", events, appendTime)

        var total = events
        if phases.contains("single") {
            let durable = (events..<events + single).map(Self.event)
            let singleTime = try measure {
                for event in durable { try ledger.append(event) }
            }
            add("durable single append", single, singleTime)
            total += single
        }

        if phases.contains("replay") {
            let replayTime = try measure { _ = try Replay.project(ledger) }
            add("replay (to memory)", total, replayTime)
        }

        if phases.contains("verify") {
            var report: Verifier.Report?
            let verifyTime = try measure { report = try Verifier.verify(ledger, objects: nil) }
            precondition(report?.events == total, "verify saw \(report?.events ?? 0) of \(total) events")
            add("verify chain", total, verifyTime)
        }

        print(table.render())
    }

    /// ImageIngested events for distinct images: the commonest event, with a projection insert.
    static func event(_ index: Int) -> PendingEvent {
        let hex = String(index, radix: 16)
        let sha = String(repeating: "0", count: 64 - hex.count) + hex
        return PendingEvent(
            stream: "image-\(sha)", expected: .noStream, eventID: "image:\(sha)",
            event: .imageIngested(ImageIngested(image: sha, originalName: "im\(index).png", width: 700, height: 605, channels: 3, bytes: 480_123))
        )
    }

    private func measure(_ body: () throws -> Void) throws -> (wall: Double, cpu: Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = Self.threadCPUTime()
        try body()
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, Self.threadCPUTime() - cpuStart)
    }

    private static func threadCPUTime() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    private func seconds(_ value: Double) -> String { String(format: "%.2f", value) }

    private func rate(_ count: Int, _ seconds: Double) -> String { String(format: "%.0f", Double(count) / seconds) }
}
