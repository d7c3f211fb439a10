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
            e.g. {"training": {"minutes": 3}}. Writes simulate.json (after every round) and simulate.svg to --out.
            `loupe simulate --plot a.json b.json --out plot.svg` draws several runs in one plot.
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

    @Option(help: "Output folder (default LAB/simulate); with --plot, the SVG file (default simulate.svg).")
    var out: String?

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
    }

    func run() throws {
        if !plot.isEmpty { return try drawPlot() }
        guard let dataset, let lab else { return }
        let strategy = QueueStrategy(strategy)!
        let data = try SimulationDataset(root: dataset, annotator: annotator, fovFolder: fov)
        let settings = try SimulationFiles.prepareLab(lab, strategy: strategy)
        let out = self.out ?? "\(lab)/simulate"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        Interruption.catchInterrupts()

        let progress = SimulationProgress()
        progress.say("starting the daemon on \(lab) (log: \(out)/daemon.log)")
        let daemon = try DaemonProcess(lab: lab, log: "\(out)/daemon.log")
        defer { daemon.stop() }
        let report = SimulationReport(
            dataset: URL(fileURLWithPath: dataset).standardizedFileURL.path, annotator: annotator, fov: fov ?? "estimated",
            strategy: strategy.description, initial: initial, batch: batch, lab: URL(fileURLWithPath: lab).standardizedFileURL.path,
            settings: settings, images: data.ids.count
        )
        let simulation = Simulation(
            plan: Simulation.Plan(dataset: data, lab: lab, strategy: strategy, initial: initial, batch: batch, rounds: rounds),
            daemon: daemon, report: report, progress: progress
        )
        do {
            try simulation.run { try SimulationFiles.write($0, to: out) }
        } catch let interruption as Interruption {
            progress.say("\(interruption): stopping the daemon; \(out)/simulate.json holds the \(simulation.report.rounds.count) finished rounds")
            daemon.stop()
            print(simulation.report.table)
            throw ExitCode(130)
        }
        daemon.stop()
        progress.say("done; wrote \(out)/simulate.json and \(out)/simulate.svg")
        print(simulation.report.table)
    }

    private func drawPlot() throws {
        let target = out ?? "simulate.svg"
        let runs = try SimulationFiles.plot(plot, to: target)
        for run in runs {
            print("\(run.strategy) (\(run.lab))")
            print(run.table)
            print()
        }
        print("wrote \(target)")
    }
}
