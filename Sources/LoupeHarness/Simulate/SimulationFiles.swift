import Foundation
import LoupeLab

/// The lab a simulation drives and the files it leaves: simulate.json after every round and
/// the plot beside it.
package enum SimulationFiles {
    /// Creates the lab if needed and records the strategy in its settings, so `loupe queue`
    /// on the lab lists images in the order the simulated expert took them.
    ///
    /// With a seed (one run of `--seeds`), a new lab starts from `template`'s loupe.json when
    /// that file exists, and the seed becomes its training seed and the random strategy's seed.
    package static func prepareLab(_ lab: String, strategy: QueueStrategy, seed: UInt64? = nil, template: String? = nil) throws -> Settings {
        if let template, FileManager.default.fileExists(atPath: template), !FileManager.default.fileExists(atPath: "\(lab)/loupe.json") {
            try FileManager.default.createDirectory(atPath: lab, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: template, toPath: "\(lab)/loupe.json")
        }
        try Workspace.initialize(at: lab)
        let workspace = try Workspace(at: lab)
        guard try workspace.images().isEmpty else {
            throw HarnessError("\(lab) already holds images; a simulation needs a lab of its own")
        }
        var settings = workspace.settings
        settings.queueStrategy = strategy
        if let seed {
            settings.training.seed = seed
            if case .random = strategy { settings.queueStrategy = .random(seed: seed) }
        }
        if settings != workspace.settings { try workspace.writeSettings(settings) }
        return settings
    }

    package static func write(_ report: SimulationReport, to out: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try (try encoder.encode(report) + [0x0A]).write(to: URL(fileURLWithPath: "\(out)/simulate.json"), options: .atomic)
        try Data(SimulationPlot(runs: [report]).svg.utf8).write(to: URL(fileURLWithPath: "\(out)/simulate.svg"), options: .atomic)
    }

    /// Reads simulate.json files and draws them in one plot at `target`.
    package static func plot(_ paths: [String], to target: String) throws -> [SimulationReport] {
        let runs = try paths.map { path in
            guard let data = FileManager.default.contents(atPath: path) else { throw HarnessError("cannot read \(path)") }
            return try JSONDecoder().decode(SimulationReport.self, from: data)
        }
        try Data(SimulationPlot(runs: runs).svg.utf8).write(to: URL(fileURLWithPath: target), options: .atomic)
        return runs
    }

    /// Median and range per strategy and round over `runs`.
    package static func summaryTable(of runs: [SimulationReport]) -> String { SimulationSummary(runs: runs).table }

    /// The runs of `--seeds` together: summary.txt (median and range per round) and summary.svg.
    package static func writeSummary(of runs: [SimulationReport], to out: String) throws -> String {
        let table = summaryTable(of: runs)
        try Data((table + "\n").utf8).write(to: URL(fileURLWithPath: "\(out)/summary.txt"), options: .atomic)
        try Data(SimulationPlot(runs: runs).svg.utf8).write(to: URL(fileURLWithPath: "\(out)/summary.svg"), options: .atomic)
        return table
    }
}
