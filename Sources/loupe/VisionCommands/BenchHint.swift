import ArgumentParser
import Foundation
import LoupeHarness
import LoupeVision

struct BenchHint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hint",
        abstract: "A hint's latency beside a whole-image prediction, same model and image, in one run.")

    @Option(help: "A model file trained with --guidance.") var model: String
    @Option(help: "Image (default: random 700x605 RGB, STARE's size).") var image: String?
    @Option(help: "Field-of-view mask (default: estimated from red).") var fov: String?
    @Option(help: "Timed runs of each.") var runs: Int = 10
    @Option(help: "Worker threads.") var threads: Int = 2

    func validate() throws {
        guard (1...1000).contains(runs) else { throw ValidationError("--runs must be 1 to 1000, got \(runs)") }
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be 1 to 256, got \(threads)") }
    }

    func run() throws {
        ComputeThreads.set(threads)
        let weights = try ModelWeights(decoding: readFile(model))
        guard weights.config.guidance else {
            throw ValidationError("\(model) was trained without guidance: train it with --guidance")
        }
        let input = try image.map { try ImageCodec.decode(contentsOf: $0) } ?? BenchInfer.randomImage(width: 700, height: 605)
        let field = try fov.map { try ImageCodec.decode(contentsOf: $0) } ?? estimateFOV(image: input)
        let predictor = Predictor(weights: weights)
        let base = predictor.predict(image: input, fov: field).probability
        var whole: [Double] = [], hint: [Double] = [], pixels: [Int] = []
        for run in 0..<runs {
            whole.append(Self.milliseconds { _ = predictor.predict(image: input, fov: field) })
            // What the daemon does for a click on an image it has predicted: encode the image,
            // start from the stored probabilities, re-predict the click's reach.
            let click = Self.click(run, of: runs, width: input.width, height: input.height)
            var region = PixelRegion(x: 0, y: 0, width: 0, height: 0)
            hint.append(Self.milliseconds {
                var session = HintSession(predictor: predictor, image: input, fov: field, probability: base)
                region = session.add([click])
            })
            pixels.append(region.width * region.height)
        }
        let wholeMedian = Self.median(whole), hintMedian = Self.median(hint)
        var table = BenchTable("operation", "median ms", "min ms", "pixels answered")
        table.add("whole image", String(format: "%.1f", wholeMedian), String(format: "%.1f", whole.min()!),
                  "\(input.width * input.height)")
        table.add("hint, 1 click", String(format: "%.1f", hintMedian), String(format: "%.1f", hint.min()!),
                  "\(pixels.sorted()[pixels.count / 2]) (median)")
        print("CPU: \(Machine.cpuModel); \(threads) threads; image \(input.width)x\(input.height); \(runs) runs each, interleaved")
        print(table.render())
        print(String(format: "hint / whole image: %.2fx", hintMedian / wholeMedian))
    }

    /// Clicks spread over the middle of the image, where a fundus photograph's vessels are.
    private static func click(_ index: Int, of count: Int, width: Int, height: Int) -> Click {
        let angle = 2 * Double.pi * Double(index) / Double(count)
        let x = Double(width) / 2 + Double(width) / 4 * cos(angle), y = Double(height) / 2 + Double(height) / 4 * sin(angle)
        return Click(x: Int(x), y: Int(y), kind: index % 3 == 2 ? .background : .vessel)
    }

    private static func milliseconds(_ body: () -> Void) -> Double {
        let start = Date()
        body()
        return Date().timeIntervalSince(start) * 1000
    }

    private static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
}
