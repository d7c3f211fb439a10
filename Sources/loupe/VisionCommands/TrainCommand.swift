import ArgumentParser
import Foundation
import LoupeHarness
import LoupeVision

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Train a UNet on labelled images and write the model file.")

    @Option(help: "Folder of images.") var images: String
    @Option(help: "Folder of vessel labels, matched to images by stem (im0001.png <-> im0001.ah.png).")
    var labels: String
    @Option(help: "Folder of field-of-view masks, matched by stem.") var fov: String?
    @Option(help: "Comma-separated image ids (stems); default: all images.") var ids: String?
    @Option(help: "Train this many epochs.") var epochs: Int?
    @Option(help: "Train whole epochs within this many minutes.") var minutes: Double?
    @Option(help: "Seed for initialisation and augmentation.") var seed: UInt64 = 1
    @Option(help: "Crops per batch.") var batchSize: Int = 8
    @Option(help: "Adam learning rate.") var learningRate: Float = 1e-3
    @Option(help: "Weight of the loss's skeleton recall term (0: none).") var skeletonRecall: Double = 0
    @Option(help: "Augmentation steps as a JSON list (default: 44 crops of 128 + flips).") var augment: String?
    @Option(help: "Also write OUT.<m>min.bin where a run with --minutes m would have stopped (comma list).")
    var snapshotMinutes: String?
    @Option(help: "Model file to write.") var out: String
    @OptionGroup var model: ModelOptions

    func validate() throws {
        if epochs != nil && minutes != nil { throw ValidationError("give --epochs or --minutes, not both") }
    }

    func run() throws {
        ComputeThreads.set(model.threads)
        let samples = try LabelledImages(images: images, labels: labels, fov: fov, ids: parseIDs(ids)).trainingSamples()
        var config = TrainingConfig(
            budget: minutes.map { .minutes($0) } ?? .epochs(epochs ?? 50),
            batchSize: batchSize, learningRate: learningRate, seed: seed, skeletonRecall: skeletonRecall)
        if let augment {
            config.augment = try JSONDecoder().decode(AugmentationPipeline.self, from: Data(augment.utf8))
        }
        try config.validate()
        var pendingSnapshots = (snapshotMinutes?.split(separator: ",").compactMap { Double($0) } ?? []).sorted()
        let start = Date()
        var lastEpochEnd = start, lastEpochSeconds = 0.0
        let result = try Trainer.train(
            model: try model.config(), config: config, samples: samples,
            progress: { p in
                guard p.isEpochEnd else { return }
                let total = p.plannedEpochs.map { "/\($0)" } ?? ""
                let remaining = p.remainingSeconds.map { String(format: "  ETA %.0fs", $0) } ?? ""
                printError(String(format: "epoch %d%@  loss %.4f  crops/s %.1f  elapsed %.0fs%@",
                                  p.epoch, total, p.loss, p.cropsPerSecond, p.elapsedSeconds, remaining))
            },
            epochFinished: { epoch, weights in
                let now = Date()
                lastEpochSeconds = now.timeIntervalSince(lastEpochEnd)
                lastEpochEnd = now
                // A --minutes m run would not start another epoch from here (see Trainer).
                let elapsed = now.timeIntervalSince(start)
                while let mark = pendingSnapshots.first, elapsed + lastEpochSeconds > mark * 60 {
                    pendingSnapshots.removeFirst()
                    let path = "\(out).\(Self.label(mark))min.bin"
                    try writeFile(weights.encoded(), to: path)
                    printError("snapshot \(path) after \(epoch) epochs, \(Int(elapsed))s")
                }
            })
        try writeFile(result.weights.encoded(), to: out)
        printError(String(format: "wrote %@: %d epochs, %d crops in %.1fs (%.1f crops/s, %d threads), peak RSS %.0f MiB",
                          out, result.epochs, result.crops, Double(result.milliseconds) / 1000,
                          Double(result.crops) / (Double(result.milliseconds) / 1000), result.threads,
                          peakResidentMiB()))
    }

    private static func label(_ minutes: Double) -> String {
        minutes == minutes.rounded() ? String(Int(minutes)) : String(minutes)
    }
}
