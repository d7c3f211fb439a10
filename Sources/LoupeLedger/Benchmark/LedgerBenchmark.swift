import Foundation

/// `loupe bench ledger`: append, durable append, replay and verify on synthetic events in a
/// scratch database. Lives beside the ledger so it can time the real append path.
package enum LedgerBenchmark {
    package enum Phase: String, CaseIterable, Sendable {
        case append, single, replay, verify
    }

    package struct Measurement: Sendable {
        package var name: String
        package var events: Int
        /// What a user waits.
        package var wallSeconds: Double
        /// This thread's CPU time: what the code costs, comparable while other work shares the machine.
        package var cpuSeconds: Double
    }

    /// Runs the phases in `phases` (append always) on `events` ImageIngested events appended
    /// `batch` per transaction, plus `single` durable one-event appends.
    package static func run(folder: String, events: Int, batch: Int, single: Int, phases: Set<Phase>) throws -> [Measurement] {
        let ledger = try Ledger(path: "\(folder)/bench.sqlite")
        let pending = (0..<events).map(event)
        var results: [Measurement] = []
        func add(_ name: String, _ count: Int, _ time: (wall: Double, cpu: Double)) {
            results.append(Measurement(name: name, events: count, wallSeconds: time.wall, cpuSeconds: time.cpu))
        }
        add("batched append (\(batch)/tx)", events, try measure {
            for start in stride(from: 0, to: pending.count, by: batch) {
                try ledger.append(Array(pending[start..<min(start + batch, pending.count)]))
            }
        })
        var total = events
        if phases.contains(.single) {
            let durable = (events..<events + single).map(event)
            add("durable single append", single, try measure {
                for event in durable { try ledger.append(event) }
            })
            total += single
        }
        if phases.contains(.replay) {
            add("replay (to memory)", total, try measure { _ = try Replay.projectedConnection(ledger) })
        }
        if phases.contains(.verify) {
            var report: Verifier.Report?
            let time = try measure { report = try Verifier.verify(ledger, objects: nil) }
            precondition(report?.events == total, "verify saw \(report?.events ?? 0) of \(total) events")
            add("verify chain", total, time)
        }
        return results
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

    private static func measure(_ body: () throws -> Void) throws -> (wall: Double, cpu: Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = threadCPUTime()
        try body()
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, threadCPUTime() - cpuStart)
    }

    private static func threadCPUTime() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
