/// A square convolution with stride 1 and "same" padding: 3x3 (padding 1) or 1x1.
///
/// Weights are `[out][in][ky][kx]`, i.e. an `out x (in * k * k)` matrix. A 3x3 layer runs the
/// direct kernels of `ConvolutionPath.direct` where the CPU has them, else one GEMM against the
/// im2col columns of each image (`Conv2D+GEMM.swift`); a 1x1 layer is always one GEMM. Work is
/// split across workers by image, or by bands of output rows when the batch is smaller than the
/// worker count (inference).
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
    /// last pass over its output. With `second`, the input is x's channels then second's; the
    /// direct kernels read both in place instead of a joined copy (on a large image at inference
    /// the copy was the largest allocation of the pass).
    func forward(
        _ x: Tensor, joinedWith second: Tensor? = nil, parameters: UnsafePointer<Float>, scratch: Scratch,
        relu: Bool = false
    ) -> Tensor {
        let channels = x.channels + (second?.channels ?? 0)
        precondition(channels == inChannels, "Conv2D expects \(inChannels) channels, got \(channels)")
        if let second, path != .direct {
            return forward(Concat.forward(x, second, workers: scratch.workers), parameters: parameters,
                           scratch: scratch, relu: relu)
        }
        return Self.apply(x, second: second, gate: nil, weights: parameters + weight.offset,
                          bias: parameters + bias.offset, outChannels: outChannels, kernel: kernel, path: path,
                          relu: relu, scratch: scratch).0
    }

    /// Accumulates weight and bias gradients into `gradients` and returns the gradient with
    /// respect to `x` when asked (the first layer of a network does not need it).
    ///
    /// `gate`: this layer's output after a fused ReLU; the gradient then passes only where it is
    /// positive. The direct kernels gate while they read `dy`, which saves a pass over it.
    func backward(
        input x: Tensor, outputGradient dy: Tensor, gate: Tensor? = nil, parameters: UnsafePointer<Float>,
        gradients: UnsafeMutablePointer<Float>, needsInputGradient: Bool, scratch: Scratch
    ) -> Tensor? {
        if let gate, path != .direct {
            var gated = dy
            ReLU.backward(output: gate, outputGradient: &gated)
            return backward(input: x, outputGradient: gated, parameters: parameters, gradients: gradients,
                            needsInputGradient: needsInputGradient, scratch: scratch)
        }
        accumulateParameterGradients(input: x, second: nil, outputGradient: dy, gate: gate, into: gradients,
                                     scratch: scratch)
        guard needsInputGradient else { return nil }
        return inputGradient(dy, gate: gate, parameters: parameters, splitAt: nil, scratch: scratch).0
    }

    /// The backward pass of `forward(x, joinedWith: second)`: parameter gradients, and the input
    /// gradient split back into x's part and second's. The direct kernels read the two maps and
    /// write the two gradients in place; in training, the joined copies and the split were 2% of
    /// a step.
    func backward(
        input x: Tensor, joinedWith second: Tensor, outputGradient dy: Tensor, gate: Tensor?,
        parameters: UnsafePointer<Float>, gradients: UnsafeMutablePointer<Float>, scratch: Scratch
    ) -> (Tensor, Tensor) {
        guard path == .direct else {
            let joined = Concat.forward(x, second, workers: scratch.workers)
            let dJoined = backward(input: joined, outputGradient: dy, gate: gate, parameters: parameters,
                                   gradients: gradients, needsInputGradient: true, scratch: scratch)!
            return Concat.backward(dJoined, firstChannels: x.channels, workers: scratch.workers)
        }
        accumulateParameterGradients(input: x, second: second, outputGradient: dy, gate: gate, into: gradients,
                                     scratch: scratch)
        let (first, rest) = inputGradient(dy, gate: gate, parameters: parameters, splitAt: x.channels, scratch: scratch)
        return (first, rest!)
    }

    /// Each worker sums its images into a private buffer; the buffers are then added in worker
    /// order, so the result does not depend on scheduling.
    private func accumulateParameterGradients(
        input x: Tensor, second: Tensor?, outputGradient dy: Tensor, gate: Tensor?,
        into gradients: UnsafeMutablePointer<Float>, scratch: Scratch
    ) {
        precondition(second == nil || path == .direct, "only the direct kernels join")
        let (height, width, imageSize, outputSize) = (x.height, x.width, x.imageSize, outChannels &* x.planeSize)
        let secondSize = second?.imageSize ?? 0
        let partialSize = weight.count &+ outChannels
        let workers = min(scratch.workers, x.batch)
        let work = path == .direct
            ? DirectConvolution.workFloats(inChannels: inChannels, outChannels: outChannels, height: height, width: width)
            : gemmWorkFloats(height: height, width: width)
        let partials = scratch.perWorker(partialSize &+ work)
        x.storage.withUnsafeBufferPointer { xs in
            dy.storage.withUnsafeBufferPointer { dys in
                withUnsafeStorage(second, gate) { seconds, gates in
                    let (xBase, dyBase) = (xs.baseAddress!, dys.baseAddress!)
                    Parallel.run(workers) { worker in
                        let dw = partials[worker], db = dw + weight.count, work = dw + partialSize
                        dw.update(repeating: 0, count: partialSize)
                        for n in Parallel.share(worker, of: workers, count: x.batch) {
                            let (image, g) = (xBase + n &* imageSize, dyBase + n &* outputSize)
                            if path == .direct {
                                DirectConvolution.accumulateParameterGradients(
                                    image: image, second: seconds.map { $0 + n &* secondSize },
                                    firstChannels: x.channels, inChannels: inChannels, outputGradient: g,
                                    gate: gates.map { $0 + n &* outputSize }, outChannels: outChannels,
                                    height: height, width: width, weightGradient: dw, biasGradient: db, work: work)
                            } else {
                                gemmParameterGradients(image: image, outputGradient: g, height: height, width: width,
                                                       weightGradient: dw, biasGradient: db, columns: work)
                            }
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
    /// forward path avoids a scatter-add col2im. With `splitAt`, the channels from there on come
    /// back as a second tensor.
    private func inputGradient(
        _ dy: Tensor, gate: Tensor?, parameters: UnsafePointer<Float>, splitAt: Int?, scratch: Scratch
    ) -> (Tensor, Tensor?) {
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
            Self.apply(dy, second: nil, gate: gate, weights: f.baseAddress!, bias: nil, outChannels: inChannels,
                       kernel: kernel, path: path, relu: false, splitAt: splitAt, scratch: scratch)
        }
    }

    /// y = conv([x, second], weights) + bias (then ReLU) over a batch, split into (image, row
    /// band) work items; with `splitAt`, y's channels from there on are a second tensor. A second
    /// map, a gate and a split are only taken on the direct path.
    static func apply(
        _ x: Tensor, second: Tensor?, gate: Tensor?, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
        outChannels: Int, kernel: Int, path: ConvolutionPath, relu: Bool, splitAt: Int? = nil, scratch: Scratch
    ) -> (Tensor, Tensor?) {
        precondition((gate == nil && second == nil && splitAt == nil) || path == .direct,
                     "only the direct kernels join, gate or split")
        let firstOutputs = splitAt ?? outChannels
        var y = Tensor(uninitializedBatch: x.batch, channels: firstOutputs, height: x.height, width: x.width)
        var rest = Tensor(uninitializedBatch: x.batch, channels: outChannels - firstOutputs, height: x.height,
                          width: x.width)
        let (height, width, inChannels) = (x.height, x.width, x.channels + (second?.channels ?? 0))
        let (firstChannels, secondSize) = (x.channels, second?.imageSize ?? 0)
        let (imageSize, outputSize, restSize) = (x.imageSize, y.imageSize, rest.imageSize)
        let workers = min(scratch.workers, x.batch * height)
        let bandsPerImage = x.batch >= workers ? 1 : (workers + x.batch - 1) / x.batch
        let items = x.batch &* bandsPerImage
        let buffers = scratch.perWorker(path == .direct
            ? DirectConvolution.workFloats(inChannels: inChannels, outChannels: outChannels, height: height, width: width)
            : gemmWorkFloats(inChannels: inChannels, kernel: kernel, height: height, width: width))
        x.storage.withUnsafeBufferPointer { xs in
            withUnsafeMutableStorage(&y, &rest) { yBase, restBase in
                withUnsafeStorage(second, gate) { seconds, gates in
                    let xBase = xs.baseAddress!
                    Parallel.run(workers) { worker in
                        for item in Parallel.share(worker, of: workers, count: items) {
                            let n = item / bandsPerImage
                            let rows = Parallel.share(item % bandsPerImage, of: bandsPerImage, count: height)
                            let (image, output) = (xBase + n &* imageSize, yBase + n &* outputSize)
                            if path == .direct {
                                DirectConvolution.forward(
                                    image: image, second: seconds.map { $0 + n &* secondSize },
                                    firstChannels: firstChannels, gate: gates.map { $0 + n &* imageSize },
                                    inChannels: inChannels, height: height, width: width, rows: rows, weights: weights,
                                    bias: bias, outChannels: outChannels, relu: relu, output: output,
                                    secondOutput: restBase.map { $0 + n &* restSize }, firstOutputs: firstOutputs,
                                    work: buffers[worker])
                            } else {
                                gemmForward(image: image, inChannels: inChannels, height: height, width: width,
                                            rows: rows, kernel: kernel, weights: weights, bias: bias,
                                            outChannels: outChannels, relu: relu, output: output, columns: buffers[worker])
                            }
                        }
                    }
                }
            }
        }
        return (y, splitAt == nil ? nil : rest)
    }
}

extension Optional where Wrapped == Tensor {
    /// The storage's base address, or nil for no tensor.
    func withUnsafeStorage<Result>(_ body: (UnsafePointer<Float>?) -> Result) -> Result {
        guard let tensor = self else { return body(nil) }
        return tensor.storage.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

/// Both tensors' base addresses for writing; nil for the second when it holds nothing.
func withUnsafeMutableStorage<Result>(
    _ first: inout Tensor, _ second: inout Tensor,
    _ body: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>?) -> Result
) -> Result {
    first.storage.withUnsafeMutableBufferPointer { a in
        second.storage.withUnsafeMutableBufferPointer { b in body(a.baseAddress!, b.isEmpty ? nil : b.baseAddress) }
    }
}

/// Both optional tensors' base addresses.
func withUnsafeStorage<Result>(
    _ first: Tensor?, _ second: Tensor?, _ body: (UnsafePointer<Float>?, UnsafePointer<Float>?) -> Result
) -> Result {
    first.withUnsafeStorage { a in second.withUnsafeStorage { b in body(a, b) } }
}
