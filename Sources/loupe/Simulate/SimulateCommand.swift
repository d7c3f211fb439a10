import ArgumentParser
import Foundation
import LoupeHarness
import LoupeLab

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Drive a real daemon with a simulated expert who corrects from a labelled dataset; score every round.",
        discussion: """
            The lab is created if missing; write its loupe.json first to choose the model and the training budget, \
            e.g. {"training": {"epochs": 3}}. Writes simulate.json (after every round) and simulate.svg to --out.
            With --seeds 1,2,3 it runs once per seed, one after another, each in LAB/seed-N (starting from LAB/loupe.json \
            when it exists) with its output in OUT/seed-N; the seed is the training seed and the random strategy's seed. \
            OUT/summary.txt and OUT/summary.svg then give the median and range per round.
            `loupe simulate --plot a.json b.json --out plot.svg` draws several runs in one plot, grouped by strategy.
            """
    )

    @Option(help: "Dataset folder: images/ID.png, labels-ANNOTATOR/ID.ANNOTATOR.png, optionally FOV/ID.fov.png.")
    var dataset: String?

    @Option(help: "Whose labels the simulated expert draws.")
    var annotator = "ah"

    @Option(help: "Folder of field-of-view masks inside the dataset; without it the FOV is estimated from each image.")
    var fov: String?

    @Option(help: "Images corrected before the first training.")
    var initial = 6

    @Option(help: "Images corrected per round after that.")
    var batch = 2

    @Option(help: "Queue strategy: uncertainty, fifo, random or random:SEED (written to the lab's loupe.json).")
    var strategy = "uncertainty"

    @Option(help: "Stop after this many rounds (the initial corrections are round 1); default: until every image is corrected.")
    var rounds: Int?

    @Option(help: "The lab to drive; it must hold no images yet.")
    var lab: String?

    @Option(help: "Comma-separated seeds, e.g. 1,2,3: one run per seed, each in LAB/seed-N.")
    var seeds: String?

    @Option(help: "Output folder (default LAB/simulate); with --plot, the SVG file (default simulate.svg).")
    var out: String?

    @Option(help: "Hint budgets, comma-separated (e.g. 10 or 0,5,10,20): score every correction and pending image as an expert who clicks up to N times before drawing the rest (the serving model needs model.guidance).")
    var hints: String?

    @Flag(help: "Print each round's pooled rows per hint budget as JSON instead of tables.")
    var json = false

    @Option(parsing: .upToNextOption, help: "Plot these simulate.json files together instead of simulating.")
    var plot: [String] = []

    func validate() throws {
        guard plot.isEmpty else { return }
        guard dataset != nil, lab != nil else { throw ValidationError("--dataset and --lab are required (or --plot FILES)") }
        guard QueueStrategy(strategy) != nil else {
            throw ValidationError("unknown strategy '\(strategy)'; use uncertainty, fifo, random or random:SEED")
        }
        guard initial >= 1, batch >= 1 else { throw ValidationError("--initial and --batch must be at least 1") }
        if let rounds, rounds < 1 { throw ValidationError("--rounds must be at least 1") }
        if let seeds {
            do { _ = try SimulationSeeds.parse(seeds) } catch let error as HarnessError { throw ValidationError(error.description) }
        }
        _ = try hintBudgets()
    }

    /// `--hints`: 0 is always scored too, the polyline alone with the same model.
    private func hintBudgets() throws -> [Int] {
        guard let hints else { return json ? [0] : [] }
        let budgets = try hints.split(separator: ",", omittingEmptySubsequences: false).map { part -> Int in
            guard let budget = Int(part.trimmingCharacters(in: .whitespaces)), (0...1000).contains(budget) else {
                throw ValidationError("--hints takes budgets from 0 to 1000, comma-separated; got '\(part)'")
            }
            return budget
        }
        return Array(Set(budgets + [0])).sorted()
    }

    func run() throws {
        if !plot.isEmpty { return try drawPlot() }
        guard let dataset, let lab else { return }
        let data = try SimulationDataset(root: dataset, annotator: annotator, fovFolder: fov)
        let out = self.out ?? "\(lab)/simulate"
        Interruption.catchInterrupts()
        let progress = SimulationProgress()
        guard let seeds = try seeds.map(SimulationSeeds.parse) else {
            return try show(simulate(data, lab: lab, out: out, seed: nil, progress: progress))
        }
        var reports: [SimulationReport] = []
        for seed in seeds {
            progress.say("seed \(seed): \(reports.count + 1) of \(seeds.count)")
            let report = try simulate(
                data, lab: SimulationSeeds.folder(lab, seed: seed), out: SimulationSeeds.folder(out, seed: seed), seed: seed,
                template: "\(lab)/loupe.json", progress: progress)
            if !json {
                print("seed \(seed)")
                try show(report)
            }
            reports.append(report)
        }
        let summary = try SimulationFiles.writeSummary(of: reports, to: out)
        progress.say("wrote \(out)/summary.txt and \(out)/summary.svg")
        guard json else { return print(summary) }
        try printJSON(zip(seeds, reports).flatMap { seed, report in
            report.hintRows.map { row in var seeded = row; seeded.seed = seed; return seeded }
        })
    }

    private func printJSON(_ rows: [HintRow]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(rows), as: UTF8.self))
    }

    private func show(_ report: SimulationReport) throws {
        guard !json else { return try printJSON(report.hintRows) }
        print(report.table)
        if let hints = report.hintTable { print("\nhints (pending images; minutes by README's time model)\n\(hints)") }
        print()
    }

    /// One run on a lab of its own; an interruption prints the finished rounds and exits 130.
    private func simulate(
        _ data: SimulationDataset, lab: String, out: String, seed: UInt64?, template: String? = nil, progress: SimulationProgress
    ) throws -> SimulationReport {
        let strategy = QueueStrategy(strategy)!
        let settings = try SimulationFiles.prepareLab(lab, strategy: strategy, seed: seed, template: template)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        progress.say("starting the daemon on \(lab) (log: \(out)/daemon.log)")
        let daemon = try DaemonProcess(lab: lab, log: "\(out)/daemon.log")
        defer { daemon.stop() }
        let report = SimulationReport(
            dataset: URL(fileURLWithPath: data.root).standardizedFileURL.path, annotator: annotator, fov: fov ?? "estimated",
            strategy: settings.queueStrategy.description, initial: initial, batch: batch,
            lab: URL(fileURLWithPath: lab).standardizedFileURL.path, settings: settings, images: data.ids.count
        )
        let simulation = Simulation(
            plan: Simulation.Plan(
                dataset: data, lab: lab, strategy: settings.queueStrategy, initial: initial, batch: batch, rounds: rounds,
                hints: try hintBudgets()),
            daemon: daemon, report: report, progress: progress
        )
        do {
            try simulation.run { try SimulationFiles.write($0, to: out) }
        } catch let interruption as Interruption {
            progress.say("\(interruption): stopping the daemon; \(out)/simulate.json holds the \(simulation.report.rounds.count) finished rounds")
            daemon.stop()
            try show(simulation.report)
            throw ExitCode(130)
        }
        daemon.stop()
        progress.say("done; wrote \(out)/simulate.json and \(out)/simulate.svg")
        return simulation.report
    }

    private func drawPlot() throws {
        let target = out ?? "simulate.svg"
        let runs = try SimulationFiles.plot(plot, to: target)
        for run in runs {
            print("\(run.strategy) (\(run.lab))")
            print(run.table)
            print()
        }
        print(SimulationFiles.summaryTable(of: runs))
        print("wrote \(target)")
    }
}
