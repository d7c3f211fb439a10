/// A square convolution with stride 1 and "same" padding: 3x3 (padding 1) or 1x1.
///
/// Weights are `[out][in][ky][kx]`, i.e. an `out x (in * k * k)` matrix. A 3x3 layer runs the
/// direct kernels of `ConvolutionPath.direct` where the CPU has them, else one GEMM against the
/// im2col columns of each image; a 1x1 layer is always one GEMM. Work is split across workers by
/// image, or by bands of output rows when the batch is smaller than the worker count (inference).
struct Conv2D: Sendable {
    let inChannels: Int
    let outChannels: Int
    let kernel: Int
    let weight: ParameterSlot
    let bias: ParameterSlot
    let path: ConvolutionPath

    init(
        inChannels: Int, outChannels: Int, kernel: Int, allocator: inout ParameterSlot.Allocator,
        path: ConvolutionPath = .preferred
    ) {
        precondition(kernel == 3 || kernel == 1, "only 3x3 and 1x1 convolutions are supported")
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernel = kernel
        self.path = kernel == 3 ? path : .im2col
        weight = allocator.take(outChannels * inChannels * kernel * kernel)
        bias = allocator.take(outChannels)
    }

    var fanIn: Int { inChannels * kernel * kernel }

    /// With `relu`, max(conv(x), 0): the network's blocks fuse the activation into the layer's
    /// last pass over its output.
    func forward(_ x: Tensor, parameters: UnsafePointer<Float>, scratch: Scratch, relu: Bool = false) -> Tensor {
        precondition(x.channels == inChannels, "Conv2D expects \(inChannels) channels, got \(x.channels)")
        return Self.apply(x, weights: parameters + weight.offset, bias: parameters + bias.offset,
                          outChannels: outChannels, kernel: kernel, path: path, relu: relu, scratch: scratch)
    }

    /// Accumulates weight and bias gradients into `gradients` and returns the gradient with
    /// respect to `x` when asked (the first layer of a network does not need it).
    func backward(
        input x: Tensor, outputGradient dy: Tensor, parameters: UnsafePointer<Float>,
        gradients: UnsafeMutablePointer<Float>, needsInputGradient: Bool, scratch: Scratch
    ) -> Tensor? {
        accumulateParameterGradients(input: x, outputGradient: dy, into: gradients, scratch: scratch)
        guard needsInputGradient else { return nil }
        return inputGradient(dy, parameters: parameters, scratch: scratch)
    }

    /// Each worker sums its images into a private buffer; the buffers are then added in worker
    /// order, so the result does not depend on scheduling.
    private func accumulateParameterGradients(
        input x: Tensor, outputGradient dy: Tensor, into gradients: UnsafeMutablePointer<Float>, scratch: Scratch
    ) {
        let plane = x.planeSize, k = fanIn, (height, width) = (x.height, x.width)
        let (inChannels, outChannels, kernel) = (self.inChannels, self.outChannels, self.kernel)
        let partialSize = weight.count &+ outChannels
        let band = kernel == 1 ? height : Im2Col.bandRows(channels: inChannels, height: height, width: width)
        let workers = min(scratch.workers, x.batch)
        let direct = path == .direct
        let work = direct
            ? DirectConvolution.workFloats(inChannels: inChannels, outChannels: outChannels, height: height, width: width)
            : k &* band &* width
        let partials = scratch.perWorker(partialSize &+ work)
        x.storage.withUnsafeBufferPointer { xs in
            dy.storage.withUnsafeBufferPointer { dys in
                let (xBase, dyBase, imageSize) = (xs.baseAddress!, dys.baseAddress!, x.imageSize)
                Parallel.run(workers) { worker in
                    let dw = partials[worker], db = dw + (partialSize &- outChannels)
                    let columns = dw + partialSize
                    dw.update(repeating: 0, count: partialSize)
                    for n in Parallel.share(worker, of: workers, count: x.batch) {
                        let g = dyBase + n &* outChannels &* plane
                        let image = xBase + n &* imageSize
                        if direct {
                            DirectConvolution.accumulateParameterGradients(
                                image: image, inChannels: inChannels, outputGradient: g, outChannels: outChannels,
                                height: height, width: width, weightGradient: dw, biasGradient: db, work: columns)
                            continue
                        }
                        for c in 0..<outChannels {
                            let row = g + c &* plane
                            var sum: Float = 0
                            for i in 0..<plane { sum += row[i] }
                            db[c] += sum
                        }
                        if kernel == 1 {
                            sgemm(transposeA: false, transposeB: true, m: outChannels, n: k, k: plane,
                                  a: g, lda: plane, b: image, ldb: plane, beta: 1, c: dw, ldc: k)
                            continue
                        }
                        var start = 0
                        while start < height {
                            let rows = start..<min(height, start &+ band)
                            let span = rows.count &* width
                            Im2Col.fill3x3(input: image, channels: inChannels, height: height, width: width,
                                           rows: rows, into: columns)
                            sgemm(transposeA: false, transposeB: true, m: outChannels, n: k, k: span,
                                  a: g + start &* width, lda: plane, b: columns, ldb: span,
                                  beta: 1, c: dw, ldc: k)
                            start = rows.upperBound
                        }
                    }
                }
            }
        }
        let (weightOffset, biasOffset) = (weight.offset, bias.offset)
        for worker in 0..<workers {
            let partial = partials[worker]
            for i in 0..<weight.count { gradients[weightOffset &+ i] += partial[i] }
            for c in 0..<outChannels { gradients[biasOffset &+ c] += partial[weight.count &+ c] }
        }
    }

    /// For stride 1 and same padding, the input gradient is itself a same-padded convolution of
    /// the output gradient with the kernel flipped and its in/out axes swapped; reusing the
    /// forward path avoids a scatter-add col2im.
    private func inputGradient(_ dy: Tensor, parameters: UnsafePointer<Float>, scratch: Scratch) -> Tensor {
        let taps = kernel &* kernel
        var flipped = [Float](repeating: 0, count: weight.count)
        let w = parameters + weight.offset
        flipped.withUnsafeMutableBufferPointer { f in
            for o in 0..<outChannels {
                for i in 0..<inChannels {
                    for t in 0..<taps {
                        f[(i &* outChannels &+ o) &* taps &+ (taps &- 1 &- t)] = w[(o &* inChannels &+ i) &* taps &+ t]
                    }
                }
            }
        }
        return flipped.withUnsafeBufferPointer { f in
            Self.apply(dy, weights: f.baseAddress!, bias: nil, outChannels: inChannels, kernel: kernel, path: path,
                       relu: false, scratch: scratch)
        }
    }

    /// y = conv(x, weights) + bias (then ReLU) over a batch, split into (image, row band) work items.
    static func apply(
        _ x: Tensor, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>?, outChannels: Int, kernel: Int,
        path: ConvolutionPath, relu: Bool, scratch: Scratch
    ) -> Tensor {
        var y = Tensor(uninitializedBatch: x.batch, channels: outChannels, height: x.height, width: x.width)
        let (height, width, plane, inChannels) = (x.height, x.width, x.planeSize, x.channels)
        let workers = min(scratch.workers, x.batch * height)
        let bandsPerImage = x.batch >= workers ? 1 : (workers + x.batch - 1) / x.batch
        let items = x.batch &* bandsPerImage
        let band = kernel == 1 ? height : Im2Col.bandRows(channels: inChannels, height: height, width: width)
        let direct = path == .direct
        let buffers = scratch.perWorker(
            direct ? DirectConvolution.workFloats(inChannels: inChannels, outChannels: outChannels, height: height, width: width)
                : kernel == 1 ? 1 : inChannels &* 9 &* band &* width)
        x.storage.withUnsafeBufferPointer { xs in
            y.storage.withUnsafeMutableBufferPointer { ys in
                let (xBase, yBase, imageSize) = (xs.baseAddress!, ys.baseAddress!, x.imageSize)
                Parallel.run(workers) { worker in
                    for item in Parallel.share(worker, of: workers, count: items) {
                        let n = item / bandsPerImage
                        let rows = Parallel.share(item % bandsPerImage, of: bandsPerImage, count: height)
                        let output = yBase + n &* outChannels &* plane
                        if direct {
                            DirectConvolution.forward(
                                image: xBase + n &* imageSize, inChannels: inChannels, height: height, width: width,
                                rows: rows, weights: weights, bias: bias, outChannels: outChannels, relu: relu,
                                output: output, work: buffers[worker])
                            continue
                        }
                        convolve(input: xBase + n &* imageSize, inChannels: inChannels, height: height,
                                 width: width, rows: rows, kernel: kernel, weights: weights,
                                 outChannels: outChannels, output: output, band: band, columns: buffers[worker])
                        guard bias != nil || relu else { continue }
                        for c in 0..<outChannels {
                            let row = output + (c &* plane &+ rows.lowerBound &* width)
                            if let bias {
                                let value = bias[c]
                                for i in 0..<(rows.count &* width) { row[i] += value }
                            }
                            if relu { ReLU.forward(row, count: rows.count &* width) }
                        }
                    }
                }
            }
        }
        return y
    }

    /// output[:, rows] = weights[out x (in*k*k)] * columns(input)[:, rows], band by band.
    private static func convolve(
        input: UnsafePointer<Float>, inChannels: Int, height: Int, width: Int, rows: Range<Int>, kernel: Int,
        weights: UnsafePointer<Float>, outChannels: Int, output: UnsafeMutablePointer<Float>,
        band: Int, columns: UnsafeMutablePointer<Float>
    ) {
        let plane = height &* width
        if kernel == 1 {
            let offset = rows.lowerBound &* width
            sgemm(transposeA: false, transposeB: false, m: outChannels, n: rows.count &* width, k: inChannels,
                  a: weights, lda: inChannels, b: input + offset, ldb: plane, beta: 0, c: output + offset, ldc: plane)
            return
        }
        let k = inChannels &* 9
        var start = rows.lowerBound
        while start < rows.upperBound {
            let chunk = start..<min(rows.upperBound, start &+ band)
            let span = chunk.count &* width
            Im2Col.fill3x3(input: input, channels: inChannels, height: height, width: width, rows: chunk, into: columns)
            sgemm(transposeA: false, transposeB: false, m: outChannels, n: span, k: k,
                  a: weights, lda: k, b: columns, ldb: span, beta: 0, c: output + start &* width, ldc: plane)
            start = chunk.upperBound
        }
    }
}
