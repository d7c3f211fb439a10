/// A 2x2 transposed convolution with stride 2: each input pixel paints its own 2x2 output block.
///
/// Weights are `[out][dy][dx][in]`, an `(out * 4) x in` matrix. Because the blocks never
/// overlap, forward is one GEMM followed by a pure permutation, and backward is the reverse.
/// Work is split across workers like `Conv2D`'s.
struct TransposedConv2D: Sendable {
    let inChannels: Int
    let outChannels: Int
    let weight: ParameterSlot
    let bias: ParameterSlot

    init(inChannels: Int, outChannels: Int, allocator: inout ParameterSlot.Allocator) {
        self.inChannels = inChannels
        self.outChannels = outChannels
        weight = allocator.take(outChannels * 4 * inChannels)
        bias = allocator.take(outChannels)
    }

    var fanIn: Int { inChannels }

    func forward(_ x: Tensor, parameters: UnsafePointer<Float>, scratch: Scratch) -> Tensor {
        precondition(x.channels == inChannels, "TransposedConv2D expects \(inChannels) channels, got \(x.channels)")
        let (h, w, plane) = (x.height, x.width, x.planeSize)
        let (inChannels, outChannels) = (self.inChannels, self.outChannels)
        let outWidth = w &* 2, outPlane = plane &* 4
        var y = Tensor(uninitializedBatch: x.batch, channels: outChannels, height: h * 2, width: w * 2)
        let workers = min(scratch.workers, x.batch * h)
        let bandsPerImage = x.batch >= workers ? 1 : (workers + x.batch - 1) / x.batch
        let items = x.batch &* bandsPerImage
        let buffers = scratch.perWorker(outChannels &* 4 &* plane)
        let weights = parameters + weight.offset, biases = parameters + bias.offset
        x.storage.withUnsafeBufferPointer { xs in
            y.storage.withUnsafeMutableBufferPointer { ys in
                let (xBase, yBase, imageSize) = (xs.baseAddress!, ys.baseAddress!, x.imageSize)
                Parallel.run(workers) { worker in
                    let blocks = buffers[worker]
                    for item in Parallel.share(worker, of: workers, count: items) {
                        let n = item / bandsPerImage
                        let rows = Parallel.share(item % bandsPerImage, of: bandsPerImage, count: h)
                        let span = rows.count &* w
                        sgemm(transposeA: false, transposeB: false, m: outChannels &* 4, n: span, k: inChannels,
                              a: weights, lda: inChannels, b: xBase + (n &* imageSize &+ rows.lowerBound &* w),
                              ldb: plane, beta: 0, c: blocks, ldc: span)
                        for c in 0..<outChannels {
                            let b = biases[c]
                            let out = yBase + (n &* outChannels &+ c) &* outPlane
                            for d in 0..<4 {
                                let source = blocks + (c &* 4 &+ d) &* span
                                let dyOffset = d >> 1, dxOffset = d & 1
                                for i in 0..<rows.count {
                                    let row = out + ((2 &* (rows.lowerBound &+ i) &+ dyOffset) &* outWidth &+ dxOffset)
                                    let src = source + i &* w
                                    for j in 0..<w { row[2 &* j] = src[j] + b }
                                }
                            }
                        }
                    }
                }
            }
        }
        return y
    }

    func backward(
        input x: Tensor, outputGradient dy: Tensor, parameters: UnsafePointer<Float>,
        gradients: UnsafeMutablePointer<Float>, scratch: Scratch
    ) -> Tensor {
        let (h, w, plane) = (x.height, x.width, x.planeSize)
        let (inChannels, outChannels) = (self.inChannels, self.outChannels)
        let outWidth = w &* 2, outPlane = plane &* 4
        var dx = Tensor(uninitializedBatch: x.batch, channels: inChannels, height: h, width: w)
        let workers = min(scratch.workers, x.batch)
        let partialSize = weight.count &+ outChannels
        let buffers = scratch.perWorker(partialSize &+ outChannels &* 4 &* plane)
        let weights = parameters + weight.offset
        x.storage.withUnsafeBufferPointer { xs in
            dy.storage.withUnsafeBufferPointer { dys in
                dx.storage.withUnsafeMutableBufferPointer { dxs in
                    let (xBase, dyBase, dxBase, imageSize) = (xs.baseAddress!, dys.baseAddress!, dxs.baseAddress!, x.imageSize)
                    Parallel.run(workers) { worker in
                        let dw = buffers[worker], db = dw + (partialSize &- outChannels)
                        let blocks = dw + partialSize
                        dw.update(repeating: 0, count: partialSize)
                        for n in Parallel.share(worker, of: workers, count: x.batch) {
                            for c in 0..<outChannels {
                                let g = dyBase + (n &* outChannels &+ c) &* outPlane
                                var sum: Float = 0
                                for i in 0..<outPlane { sum += g[i] }
                                db[c] += sum
                                for d in 0..<4 {
                                    let target = blocks + (c &* 4 &+ d) &* plane
                                    let dyOffset = d >> 1, dxOffset = d & 1
                                    for i in 0..<h {
                                        let row = g + ((2 &* i &+ dyOffset) &* outWidth &+ dxOffset)
                                        let dst = target + i &* w
                                        for j in 0..<w { dst[j] = row[2 &* j] }
                                    }
                                }
                            }
                            let image = xBase + n &* imageSize
                            sgemm(transposeA: false, transposeB: true, m: outChannels &* 4, n: inChannels, k: plane,
                                  a: blocks, lda: plane, b: image, ldb: plane, beta: 1, c: dw, ldc: inChannels)
                            sgemm(transposeA: true, transposeB: false, m: inChannels, n: plane, k: outChannels &* 4,
                                  a: weights, lda: inChannels, b: blocks, ldb: plane, beta: 0,
                                  c: dxBase + n &* imageSize, ldc: plane)
                        }
                    }
                }
            }
        }
        for worker in 0..<workers {
            let partial = buffers[worker]
            for i in 0..<weight.count { gradients[weight.offset &+ i] += partial[i] }
            for c in 0..<outChannels { gradients[bias.offset &+ c] += partial[weight.count &+ c] }
        }
        return dx
    }
}
