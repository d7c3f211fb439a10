import Foundation

/// `loupe bench layers`: GFLOP/s of every 3x3 convolution of the UNet at a training shape, on
/// each path, beside OpenBLAS sgemm at the same GEMM shape and threads, and sgemm's best
/// (large square matrices): how far each layer is from the physical limit of these cores.
public struct LayerBenchmark {
    public struct Layer: Sendable {
        public var name: String
        public var inChannels: Int
        public var outChannels: Int
        public var size: Int
        /// Forward, and backward (weight, bias and input gradients), per path.
        public var forward: [ConvolutionPath: Double]
        public var backward: [ConvolutionPath: Double]
        /// sgemm alone on the forward pass's GEMM (out x size² x in·9), no im2col.
        public var sgemm: Double
    }

    let model: ModelConfig
    let batch: Int
    let size: Int
    let repeats: Int

    public init(model: ModelConfig, batch: Int, size: Int, repeats: Int) throws {
        try model.validate()
        guard size > 0, size % model.sizeMultiple == 0 else {
            throw SettingsError("size must be a positive multiple of \(model.sizeMultiple), got \(size)")
        }
        self.model = model
        self.batch = batch
        self.size = size
        self.repeats = max(1, repeats)
    }

    public func layers() -> [Layer] {
        let scratch = Scratch()
        let paths = ConvolutionPath.available.map { path in
            (path: path, convolutions: UNet(config: model, convolution: path).namedConvolutions(size: size))
        }
        let parameters = BenchmarkData.values(UNet(config: model).parameterCount)
        var gradients = [Float](repeating: 0, count: parameters.count)
        return paths[0].convolutions.indices.map { index in
            let (name, first, side) = paths[0].convolutions[index]
            let flops = 2.0 * Double(first.outChannels * first.fanIn * side * side * batch)
            let x = Tensor(batch: batch, channels: first.inChannels, height: side, width: side,
                           storage: BenchmarkData.values(batch * first.inChannels * side * side))
            var layer = Layer(name: name, inChannels: first.inChannels, outChannels: first.outChannels, size: side,
                              forward: [:], backward: [:], sgemm: sgemmRate(conv: first, side: side, flops: flops))
            for (path, convolutions) in paths {
                let conv = convolutions[index].conv
                let forward = { parameters.withUnsafeBufferPointer { conv.forward(x, parameters: $0.baseAddress!, scratch: scratch) } }
                layer.forward[path] = best(flops) { _ = forward() }
                let y = forward()
                layer.backward[path] = best(2 * flops) {
                    parameters.withUnsafeBufferPointer { p in
                        gradients.withUnsafeMutableBufferPointer { g in
                            _ = conv.backward(input: x, outputGradient: y, parameters: p.baseAddress!,
                                              gradients: g.baseAddress!, needsInputGradient: true, scratch: scratch)
                        }
                    }
                }
            }
            return layer
        }
    }

    /// GFLOP/s of square sgemm (n = 1024) run by every worker at once, each on its own C.
    public func peakSGEMM() -> Double {
        let n = 1024, workers = ComputeThreads.count
        let a = BenchmarkData.values(n * n), b = BenchmarkData.values(n * n)
        let c = UnsafeMutablePointer<Float>.allocate(capacity: n * n * workers)
        defer { c.deallocate() }
        return a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                best(2.0 * Double(n * n * n * workers)) {
                    Parallel.run(workers) { worker in
                        sgemm(transposeA: false, transposeB: false, m: n, n: n, k: n, a: a.baseAddress!, lda: n,
                              b: b.baseAddress!, ldb: n, beta: 0, c: c + worker * n * n, ldc: n)
                    }
                }
            }
        }
    }

    /// The forward GEMM of one image per call, images split across the workers as the layers do.
    private func sgemmRate(conv: Conv2D, side: Int, flops: Double) -> Double {
        let (m, n, k) = (conv.outChannels, side * side, conv.fanIn)
        let workers = min(ComputeThreads.count, batch)
        let a = BenchmarkData.values(m * k), b = BenchmarkData.values(k * n)
        let c = UnsafeMutablePointer<Float>.allocate(capacity: m * n * workers)
        defer { c.deallocate() }
        return a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                best(flops) {
                    Parallel.run(workers) { worker in
                        for _ in Parallel.share(worker, of: workers, count: batch) {
                            sgemm(transposeA: false, transposeB: false, m: m, n: n, k: k, a: a.baseAddress!, lda: k,
                                  b: b.baseAddress!, ldb: n, beta: 0, c: c + worker * m * n, ldc: n)
                        }
                    }
                }
            }
        }
    }

    /// GFLOP/s of the fastest of `repeats` runs: the least disturbed by other work on the machine.
    private func best(_ flops: Double, _ body: () -> Void) -> Double {
        body()
        var fastest = Double.infinity
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            fastest = min(fastest, Double(DispatchTime.now().uptimeNanoseconds - start))
        }
        return flops / fastest  // FLOP per ns = GFLOP/s
    }
}

/// Values in [-0.5, 0.5) from a fixed seed: benchmarks need data, not particular data.
enum BenchmarkData {
    static func values(_ count: Int) -> [Float] {
        var generator = SeededGenerator(seed: 3)
        return (0..<count).map { _ in Float(generator.unit()) - 0.5 }
    }
}

extension UNet {
    /// Every 3x3 convolution with a readable name and the side of its square input at `size`.
    func namedConvolutions(size: Int) -> [(name: String, conv: Conv2D, side: Int)] {
        var result: [(String, Conv2D, Int)] = []
        for (level, block) in encoder.enumerated() {
            result += [("enc\(level) a", block.first, size >> level), ("enc\(level) b", block.second, size >> level)]
        }
        let deepest = size >> encoder.count
        result += [("mid a", bottleneck.first, deepest), ("mid b", bottleneck.second, deepest)]
        for (level, decoded) in decoder.enumerated().reversed() {
            result += [("dec\(level) a", decoded.block.first, size >> level),
                       ("dec\(level) b", decoded.block.second, size >> level)]
        }
        return result
    }
}
