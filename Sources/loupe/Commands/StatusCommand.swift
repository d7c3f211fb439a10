import ArgumentParser
import LoupeDaemon
import LoupeLab

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Summarise the workspace.")

    @OptionGroup var options: LabOptions

    @Flag(help: "Machine-readable output.")
    var json = false

    struct Report: Encodable {
        var lab: String
        var images: [String: Int]
        var currentModel: ModelRecord?
        var lastEvent: LabStatus.LastEvent?
        var rejected: Int
        var runs: Int
        var correctionsAwaitingTraining: Int
        var controls: TrainingControls
        var daemon: DaemonStatus?
        var executor: String
    }

    func run() throws {
        let workspace = try options.open(readOnly: true)
        let status = try workspace.status()
        let report = Report(
            lab: status.lab, images: status.images, currentModel: status.currentModel, lastEvent: status.lastEvent,
            rejected: status.rejected, runs: status.runs, correctionsAwaitingTraining: status.correctionsAwaitingTraining,
            controls: status.controls, daemon: DaemonStatus.read(lab: workspace.root), executor: workspace.executorSummary()
        )
        if json { return try printJSON(report) }
        print("lab        \(report.lab)")
        let total = report.images.values.reduce(0, +)
        print("images     \(total): " + ImageState.allCases.map { "\(report.images[$0.rawValue] ?? 0) \($0.rawValue)" }.joined(separator: ", "))
        if let model = report.currentModel {
            print("model      \(EventRow.short(model.sha)) from run \(model.run), validation Dice \(model.validationDice.map { EventRow.format($0) } ?? "-")")
        } else {
            print("model      none yet")
        }
        let controls = [
            report.controls.paused ? "paused" : nil,
            report.controls.trainingRequested ? "a training requested" : nil,
            report.controls.pinnedModel.map { "model \(EventRow.short($0)) pinned" },
        ].compactMap { $0 }
        if !controls.isEmpty { print("controls   " + controls.joined(separator: ", ")) }
        print("training   \(report.correctionsAwaitingTraining) correction\(report.correctionsAwaitingTraining == 1 ? "" : "s") not yet learnt from, \(report.runs) run\(report.runs == 1 ? "" : "s") so far")
        if let daemon = report.daemon {
            print("daemon     running (pid \(daemon.pid), since \(daemon.startedAt)): \(daemon.activity), \(daemon.waitingForPrediction) image\(daemon.waitingForPrediction == 1 ? "" : "s") waiting for a prediction")
            if let url = daemon.url { print("page       \(url)") }
            if let training = daemon.training {
                let loss = training.loss.map { EventRow.format($0, digits: 4) } ?? "-"
                let eta = training.remainingSeconds.map { ", about \(Int($0)) s left" } ?? ""
                print("           run \(training.run): epoch \(training.epoch), batch \(training.batch)/\(training.batchesPerEpoch), loss \(loss)\(eta)")
            }
        } else {
            print("daemon     not running (start it with `loupe run --lab \(options.lab)`)")
        }
        print("executor   \(report.executor)")
        print("rejected   \(report.rejected) file\(report.rejected == 1 ? "" : "s") in rejected/")
        print("last event " + (report.lastEvent.map { "\($0.seq) \($0.type) at \($0.at)" } ?? "none"))
    }
}
