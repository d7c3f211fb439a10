import ArgumentParser
import Foundation
import LoupeHarness
import LoupeVision

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict", abstract: "Segment images: writes NAME.png (mask) and NAME.prob.png.")

    @Option(help: "Model file.") var model: String
    @Option(help: "Output folder.") var out: String
    @Option(help: "Folder of field-of-view masks matched by stem (default: estimated from red).") var fov: String?
    @Option(help: "Probability threshold for the mask.") var threshold: Float = 0.5
    @Option(help: "Worker threads.") var threads: Int = 2
    @Argument(help: "Images to segment.") var images: [String]

    func run() throws {
        ComputeThreads.set(threads)
        let predictor = Predictor(weights: try ModelWeights(decoding: readFile(model)))
        let fovFiles = try fov.map(LabelledImages.files) ?? [:]
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for path in images {
            let name = LabelledImages.stem((path as NSString).lastPathComponent)
            let image = try ImageCodec.decode(contentsOf: path)
            let field = try fovFiles[name].map { try ImageCodec.decode(contentsOf: $0).luminance }
            let start = Date()
            let prediction = predictor.predict(image: image, fov: field, threshold: threshold)
            let ms = Date().timeIntervalSince(start) * 1000
            try writeFile(ImageCodec.encodePNG(prediction.mask), to: "\(out)/\(name).png")
            try writeFile(ImageCodec.encodePNG(prediction.probabilityImage), to: "\(out)/\(name).prob.png")
            print(String(format: "%@  uncertainty %.4f  vessel fraction %.4f  %.0f ms",
                         name, prediction.uncertainty, prediction.vesselFraction, ms))
        }
    }
}
