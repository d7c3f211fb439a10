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

    func run() throws {
        let folder = directory ?? NSTemporaryDirectory() + "loupe-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: folder) } }
        let ledger = try Ledger(path: "\(folder)/bench.sqlite")
        let pending = (0..<events).map(Self.event)
        var table = BenchTable("measure", "events", "seconds", "events/s")

        let appendTime = try measure {
            for start in stride(from: 0, to: pending.count, by: batch) {
                try ledger.append(Array(pending[start..<min(start + batch, pending.count)]))
            }
        }
        table.add("batched append (\(batch)/tx)", "\(events)", seconds(appendTime), rate(events, appendTime))

        let durable = (events..<events + single).map(Self.event)
        let singleTime = try measure {
            for event in durable { try ledger.append(event) }
        }
        table.add("durable single append", "\(single)", seconds(singleTime), rate(single, singleTime))

        let total = events + single
        let replayTime = try measure { _ = try Replay.project(ledger) }
        table.add("replay (to memory)", "\(total)", seconds(replayTime), rate(total, replayTime))

        var report: Verifier.Report?
        let verifyTime = try measure { report = try Verifier.verify(ledger, objects: nil) }
        precondition(report?.events == total, "verify saw \(report?.events ?? 0) of \(total) events")
        table.add("verify chain", "\(total)", seconds(verifyTime), rate(total, verifyTime))

        print(table.render())
    }

    /// ImageIngested events for distinct images: the commonest event, with a projection insert.
    static func event(_ index: Int) -> PendingEvent {
        let sha = String(repeating: "0", count: 48) + String(index, radix: 16).leftPadded(to: 16).replacingOccurrences(of: " ", with: "0")
        return PendingEvent(
            stream: "image-\(sha)", expected: .noStream, eventID: "image:\(sha)",
            event: .imageIngested(ImageIngested(image: sha, originalName: "im\(index).png", width: 700, height: 605, channels: 3, bytes: 480_123))
        )
    }

    private func measure(_ body: () throws -> Void) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    private func seconds(_ value: Double) -> String { String(format: "%.2f", value) }

    private func rate(_ count: Int, _ seconds: Double) -> String { String(format: "%.0f", Double(count) / seconds) }
}
