import ArgumentParser
import Foundation
import LoupeHarness
import LoupeLab

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

    func validate() throws {
        guard events >= 1, batch >= 1, single >= 0 else { throw ValidationError("--events and --batch must be at least 1, --single at least 0") }
        for name in only.split(separator: ",") where LedgerBenchmark.Phase(rawValue: String(name)) == nil {
            throw ValidationError("unknown measure '\(name)'; use append, single, replay, verify")
        }
    }

    func run() throws {
        let folder = directory ?? NSTemporaryDirectory() + "loupe-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: folder) } }
        let phases = Set(only.split(separator: ",").compactMap { LedgerBenchmark.Phase(rawValue: String($0)) })
        let results = try LedgerBenchmark.run(folder: folder, events: events, batch: batch, single: single, phases: phases)
        // Wall time is what a user waits; CPU time (this thread's) is what the code costs, and
        // stays comparable when other builds share the machine.
        var table = BenchTable("measure", "events", "seconds", "events/s", "cpu s", "events/cpu s")
        for result in results {
            table.add(result.name, "\(result.events)", seconds(result.wallSeconds), rate(result.events, result.wallSeconds),
                      seconds(result.cpuSeconds), rate(result.events, result.cpuSeconds))
        }
        print(table.render())
    }

    private func seconds(_ value: Double) -> String { String(format: "%.2f", value) }

    private func rate(_ count: Int, _ seconds: Double) -> String { String(format: "%.0f", Double(count) / seconds) }
}
