import ArgumentParser
import Foundation
import LoupeHarness
import LoupeVision

struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Training throughput: forward + backward + Adam on random crops.")

    @Option(help: "Crops per batch.") var batchSize: Int = 8
    @Option(help: "Crop size.") var size: Int = 128
    @Option(help: "Timed batches.") var batches: Int = 30
    @Option(help: "Untimed warm-up batches.") var warmup: Int = 3
    @OptionGroup var kernels: ConvolutionOptions
    @OptionGroup var model: ModelOptions

    func run() throws {
        ComputeThreads.set(model.threads)
        let path = try kernels.path()
        let bench = try TrainingBenchmark(model: try model.config(), batchSize: batchSize, size: size, convolution: path)
        for _ in 0..<warmup { bench.step() }
        let start = Date()
        for _ in 0..<batches { bench.step() }
        let seconds = Date().timeIntervalSince(start)
        print(String(format: "loupe train (%@): %.1f crops/s (batch %d of %dx%d, %d batches in %.2fs, %d threads), peak RSS %.0f MiB",
                     path.rawValue, Double(batches * batchSize) / seconds, batchSize, size, size, batches, seconds,
                     ComputeThreads.count, peakResidentMiB()))
    }
}

struct BenchInfer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer", abstract: "Inference latency for one whole image.")

    @Option(help: "Image to segment (default: random 700x605 RGB, STARE's size).") var image: String?
    @Option(help: "Timed runs.") var runs: Int = 10
    @OptionGroup var kernels: ConvolutionOptions
    @OptionGroup var model: ModelOptions

    func run() throws {
        ComputeThreads.set(model.threads)
        let config = try model.config()
        let input = try image.map { try ImageCodec.decode(contentsOf: $0) } ?? Self.randomImage(width: 700, height: 605)
        let fov = estimateFOV(image: input)
        let path = try kernels.path()
        let predictor = Predictor(weights: try ModelWeights(initializing: config, seed: 1), convolution: path)
        _ = predictor.predict(image: input, fov: fov)
        var times: [Double] = []
        for _ in 0..<runs {
            let start = Date()
            _ = predictor.predict(image: input, fov: fov)
            times.append(Date().timeIntervalSince(start) * 1000)
        }
        times.sort()
        print(String(format: "loupe infer (%@): median %.1f ms, min %.1f ms (%dx%d, %d runs, %d threads), peak RSS %.0f MiB",
                     path.rawValue, times[times.count / 2], times[0], input.width, input.height, runs,
                     ComputeThreads.count, peakResidentMiB()))
    }

    static func randomImage(width: Int, height: Int) -> RasterImage {
        var generator = SeededGenerator(seed: 7)
        return RasterImage(width: width, height: height, channels: 3,
                           pixels: (0..<(width * height * 3)).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
    }
}

struct BenchLayers: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layers",
        abstract: "GFLOP/s of every 3x3 convolution on each path, beside OpenBLAS sgemm on the same threads.")

    @Option(help: "Images per call.") var batchSize: Int = 8
    @Option(help: "Crop size (the finest level's side).") var size: Int = 128
    @Option(help: "Timed calls per layer and path; the fastest is kept.") var repeats: Int = 5
    @OptionGroup var model: ModelOptions

    func validate() throws {
        guard (1...256).contains(batchSize) else { throw ValidationError("--batch-size must be 1 to 256") }
        guard (8...1024).contains(size) else { throw ValidationError("--size must be 8 to 1024") }
        guard (1...1000).contains(repeats) else { throw ValidationError("--repeats must be 1 to 1000") }
    }

    func run() throws {
        ComputeThreads.set(model.threads)
        let bench = try LayerBenchmark(model: try model.config(), batch: batchSize, size: size, repeats: repeats)
        let paths = ConvolutionPath.available
        var headers = ["layer", "in", "out", "side"]
        for path in paths { headers += ["\(path.rawValue) fwd", "\(path.rawValue) bwd"] }
        headers.append("sgemm same shape")
        var table = BenchTable(headers)
        for layer in bench.layers() {
            var cells = [layer.name, "\(layer.inChannels)", "\(layer.outChannels)", "\(layer.size)"]
            for path in paths {
                cells += [String(format: "%.1f", layer.forward[path] ?? 0), String(format: "%.1f", layer.backward[path] ?? 0)]
            }
            cells.append(String(format: "%.1f", layer.sgemm))
            table.add(cells)
        }
        print("GFLOP/s, batch \(batchSize) of \(size)x\(size), \(ComputeThreads.count) threads, fastest of \(repeats) calls")
        print(table.render())
        print(String(format: "sgemm 1024x1024x1024 on every thread: %.1f GFLOP/s", bench.peakSGEMM()))
    }
}
