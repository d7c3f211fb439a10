import ArgumentParser
import Foundation
import LoupeHarness
import LoupeVision

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score a model (or a folder of masks, e.g. a second expert) against labels inside the FOV.")

    @Option(help: "Model file.") var model: String?
    @Option(help: "Instead of a model: folder of binary masks to score, matched by stem.") var masks: String?
    @Option(help: "Folder of images.") var images: String
    @Option(help: "Folder of reference labels, matched by stem.") var labels: String
    @Option(help: "Folder of field-of-view masks (default: estimated from red).") var fov: String?
    @Option(help: "Comma-separated image ids (stems); default: all images.") var ids: String?
    @Option(help: "Probability threshold.") var threshold: Float = 0.5
    @Option(help: "Worker threads.") var threads: Int = 2
    @Option(help: "Hint budget: the simulated expert clicks up to N times an image before drawing the rest (needs a model trained with --guidance).")
    var hints: Int = 0
    @Flag(help: "Print JSON instead of a table.") var json = false

    func validate() throws {
        if (model == nil) == (masks == nil) { throw ValidationError("give exactly one of --model and --masks") }
        if !(0...1000).contains(hints) { throw ValidationError("--hints must be between 0 and 1000, got \(hints)") }
        if hints > 0 && masks != nil { throw ValidationError("--hints needs --model: masks cannot take a hint") }
    }

    struct Row: Encodable {
        let id: String
        let f1, sensitivity, specificity, accuracy, auc: Double
        /// Centerline correction over drawing length (tolerance 2 px) and the strokes it takes.
        let centerlineEffort: Double
        let strokes: Int
        let centerline: CenterlineEffort
        /// Hints the simulated expert gave, and its minutes by `ExpertTime`.
        let clicks: Double
        let minutes: Double

        init(id: String, _ m: SegmentationMetrics, _ centerline: CenterlineEffort, clicks: Double, minutes: Double) {
            self.id = id
            f1 = m.f1
            sensitivity = m.sensitivity
            specificity = m.specificity
            accuracy = m.accuracy
            auc = m.auc
            centerlineEffort = centerline.share
            strokes = centerline.strokes
            self.centerline = centerline
            self.clicks = clicks
            self.minutes = minutes
        }
    }

    func run() throws {
        ComputeThreads.set(threads)
        let set = try LabelledImages(images: images, labels: labels, fov: fov, ids: parseIDs(ids))
        let predictor = try model.map { Predictor(weights: try ModelWeights(decoding: readFile($0))) }
        if hints > 0, predictor?.weights.config.guidance == false {
            throw ValidationError("--hints needs a model trained with --guidance; \(model!) has no guidance inputs")
        }
        let expert = HintedExpert(budgets: [hints], threshold: threshold)
        let maskFiles = try masks.map(LabelledImages.files) ?? [:]
        var pooled = MetricsAccumulator(threshold: threshold)
        var pooledCenterline = CenterlineEffort.zero
        var rows: [Row] = []
        for entry in set.entries {
            let image = try ImageCodec.decode(contentsOf: entry.imagePath)
            let label = try ImageCodec.decode(contentsOf: entry.labelPath!).luminance
            let field = try entry.fovPath.map { try ImageCodec.decode(contentsOf: $0).luminance } ?? estimateFOV(image: image)
            var probability: [Float]
            var clicks = 0
            if let predictor {
                probability = predictor.predict(image: image, fov: field, threshold: threshold).probability
                if hints > 0 {
                    let corrected = expert.correct(image: image, fov: field, label: label, predictor: predictor,
                                                   probability: probability)
                    probability = corrected.probability
                    clicks = corrected.outcomes[0].clicks
                }
            } else {
                guard let path = maskFiles[entry.id] else { throw ValidationError("no mask for \(entry.id) in \(masks!)") }
                probability = try ImageCodec.decode(contentsOf: path).luminance.pixels.map { $0 > 127 ? 1 : 0 }
            }
            var one = MetricsAccumulator(threshold: threshold)
            one.add(probability: probability, label: label, fov: field)
            pooled.add(one)
            let centerline = CenterlineEffort(
                prediction: PixelMask(probability: probability, width: label.width, height: label.height, threshold: threshold),
                label: PixelMask(label), fov: PixelMask(field))
            pooledCenterline = pooledCenterline + centerline
            rows.append(Row(id: entry.id, one.metrics, centerline, clicks: Double(clicks),
                            minutes: ExpertTime.minutes(centerlineShare: centerline.share, clicks: clicks)))
        }
        // Pooled: clicks and minutes per image, so budgets and goals read the same at any set size.
        let images = Double(max(rows.count, 1))
        rows.append(Row(id: "pooled", pooled.metrics, pooledCenterline,
                        clicks: rows.map(\.clicks).reduce(0, +) / images,
                        minutes: rows.map(\.minutes).reduce(0, +) / images))
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(rows), as: UTF8.self))
            return
        }
        print("id          F1      Se      Sp      Acc     AUC     centerline  strokes  clicks  minutes")
        for row in rows {
            print(String(format: "%@  %.4f  %.4f  %.4f  %.4f  %.4f  %9.1f%%  %7d  %6.1f  %7.2f",
                         row.id.padding(toLength: 10, withPad: " ", startingAt: 0), row.f1, row.sensitivity,
                         row.specificity, row.accuracy, row.auc, row.centerlineEffort * 100, row.strokes, row.clicks,
                         row.minutes))
        }
    }
}
