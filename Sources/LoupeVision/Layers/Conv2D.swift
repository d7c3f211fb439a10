/// A square convolution with stride 1 and "same" padding: 3x3 (padding 1) or 1x1.
///
/// Weights are `[out][in][ky][kx]`, i.e. an `out x (in * k * k)` matrix, so the forward pass is
/// one GEMM against the im2col columns of each image.
struct Conv2D: Sendable {
    let inChannels: Int
    let outChannels: Int
    let kernel: Int
    let weight: ParameterSlot
    let bias: ParameterSlot

    init(inChannels: Int, outChannels: Int, kernel: Int, allocator: inout ParameterSlot.Allocator) {
        precondition(kernel == 3 || kernel == 1, "only 3x3 and 1x1 convolutions are supported")
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernel = kernel
        weight = allocator.take(outChannels * inChannels * kernel * kernel)
        bias = allocator.take(outChannels)
    }

    var fanIn: Int { inChannels * kernel * kernel }

    func forward(_ x: Tensor, parameters: UnsafePointer<Float>, scratch: Scratch) -> Tensor {
        precondition(x.channels == inChannels, "Conv2D expects \(inChannels) channels, got \(x.channels)")
        var y = Tensor(uninitializedBatch: x.batch, channels: outChannels, height: x.height, width: x.width)
        let plane = x.planeSize
        x.storage.withUnsafeBufferPointer { xs in
            y.storage.withUnsafeMutableBufferPointer { ys in
                for n in 0..<x.batch {
                    let output = ys.baseAddress! + n &* outChannels &* plane
                    Self.convolve(
                        input: xs.baseAddress! + n &* x.imageSize, inChannels: inChannels,
                        height: x.height, width: x.width, kernel: kernel,
                        weights: parameters + weight.offset, outChannels: outChannels,
                        output: output, scratch: scratch)
                    let b = parameters + bias.offset
                    for c in 0..<outChannels {
                        let row = output + c &* plane
                        let value = b[c]
                        for i in 0..<plane { row[i] += value }
                    }
                }
            }
        }
        return y
    }

    /// Accumulates weight and bias gradients into `gradients` and returns the gradient with
    /// respect to `x` when asked (the first layer of a network does not need it).
    func backward(
        input x: Tensor, outputGradient dy: Tensor, parameters: UnsafePointer<Float>,
        gradients: UnsafeMutablePointer<Float>, needsInputGradient: Bool, scratch: Scratch
    ) -> Tensor? {
        let plane = x.planeSize
        let k = fanIn
        x.storage.withUnsafeBufferPointer { xs in
            dy.storage.withUnsafeBufferPointer { dys in
                let dw = gradients + weight.offset
                let db = gradients + bias.offset
                for n in 0..<x.batch {
                    let g = dys.baseAddress! + n &* outChannels &* plane
                    for c in 0..<outChannels {
                        let row = g + c &* plane
                        var sum: Float = 0
                        for i in 0..<plane { sum += row[i] }
                        db[c] += sum
                    }
                    let image = xs.baseAddress! + n &* x.imageSize
                    if kernel == 1 {
                        sgemm(transposeA: false, transposeB: true, m: outChannels, n: k, k: plane,
                              a: g, lda: plane, b: image, ldb: plane, beta: 1, c: dw, ldc: k)
                        continue
                    }
                    let band = Im2Col.bandRows(channels: inChannels, height: x.height, width: x.width)
                    var start = 0
                    while start < x.height {
                        let rows = start..<min(x.height, start + band)
                        let columns = scratch.floats(k &* rows.count &* x.width)
                        Im2Col.fill3x3(input: image, channels: inChannels, height: x.height, width: x.width,
                                       rows: rows, into: columns)
                        let span = rows.count &* x.width
                        sgemm(transposeA: false, transposeB: true, m: outChannels, n: k, k: span,
                              a: g + start &* x.width, lda: plane, b: columns, ldb: span,
                              beta: 1, c: dw, ldc: k)
                        start = rows.upperBound
                    }
                }
            }
        }
        guard needsInputGradient else { return nil }
        return inputGradient(dy, parameters: parameters, scratch: scratch)
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
        var dx = Tensor(uninitializedBatch: dy.batch, channels: inChannels, height: dy.height, width: dy.width)
        let plane = dy.planeSize
        dy.storage.withUnsafeBufferPointer { dys in
            dx.storage.withUnsafeMutableBufferPointer { dxs in
                flipped.withUnsafeBufferPointer { f in
                    for n in 0..<dy.batch {
                        Self.convolve(
                            input: dys.baseAddress! + n &* outChannels &* plane, inChannels: outChannels,
                            height: dy.height, width: dy.width, kernel: kernel, weights: f.baseAddress!,
                            outChannels: inChannels, output: dxs.baseAddress! + n &* inChannels &* plane,
                            scratch: scratch)
                    }
                }
            }
        }
        return dx
    }

    /// output[out x HW] = weights[out x (in*k*k)] * columns(input), band by band.
    static func convolve(
        input: UnsafePointer<Float>, inChannels: Int, height: Int, width: Int, kernel: Int,
        weights: UnsafePointer<Float>, outChannels: Int, output: UnsafeMutablePointer<Float>, scratch: Scratch
    ) {
        let plane = height &* width
        if kernel == 1 {
            sgemm(transposeA: false, transposeB: false, m: outChannels, n: plane, k: inChannels,
                  a: weights, lda: inChannels, b: input, ldb: plane, beta: 0, c: output, ldc: plane)
            return
        }
        let k = inChannels &* 9
        let band = Im2Col.bandRows(channels: inChannels, height: height, width: width)
        var start = 0
        while start < height {
            let rows = start..<min(height, start + band)
            let span = rows.count &* width
            let columns = scratch.floats(k &* span)
            Im2Col.fill3x3(input: input, channels: inChannels, height: height, width: width, rows: rows, into: columns)
            sgemm(transposeA: false, transposeB: false, m: outChannels, n: span, k: k,
                  a: weights, lda: k, b: columns, ldb: span, beta: 0, c: output + start &* width, ldc: plane)
            start = rows.upperBound
        }
    }
}
