/// A 2x2 transposed convolution with stride 2: each input pixel paints its own 2x2 output block.
///
/// Weights are `[out][dy][dx][in]`, an `(out * 4) x in` matrix. Because the blocks never
/// overlap, forward is one GEMM followed by a pure permutation, and backward is the reverse.
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
        let h = x.height, w = x.width, plane = h &* w
        let outWidth = w &* 2, outPlane = plane &* 4
        var y = Tensor(uninitializedBatch: x.batch, channels: outChannels, height: h * 2, width: w * 2)
        let blocks = scratch.floats(outChannels &* 4 &* plane)
        x.storage.withUnsafeBufferPointer { xs in
            y.storage.withUnsafeMutableBufferPointer { ys in
                for n in 0..<x.batch {
                    sgemm(transposeA: false, transposeB: false, m: outChannels &* 4, n: plane, k: inChannels,
                          a: parameters + weight.offset, lda: inChannels,
                          b: xs.baseAddress! + n &* x.imageSize, ldb: plane, beta: 0, c: blocks, ldc: plane)
                    for c in 0..<outChannels {
                        let b = parameters[bias.offset &+ c]
                        let out = ys.baseAddress! + (n &* outChannels &+ c) &* outPlane
                        for d in 0..<4 {
                            let source = blocks + (c &* 4 &+ d) &* plane
                            let dyOffset = d >> 1, dxOffset = d & 1
                            for i in 0..<h {
                                let row = out + ((2 &* i &+ dyOffset) &* outWidth &+ dxOffset)
                                let src = source + i &* w
                                for j in 0..<w { row[2 &* j] = src[j] + b }
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
        let h = x.height, w = x.width, plane = h &* w
        let outWidth = w &* 2, outPlane = plane &* 4
        var dx = Tensor(uninitializedBatch: x.batch, channels: inChannels, height: h, width: w)
        let blocks = scratch.floats(outChannels &* 4 &* plane)
        x.storage.withUnsafeBufferPointer { xs in
            dy.storage.withUnsafeBufferPointer { dys in
                dx.storage.withUnsafeMutableBufferPointer { dxs in
                    for n in 0..<x.batch {
                        for c in 0..<outChannels {
                            let g = dys.baseAddress! + (n &* outChannels &+ c) &* outPlane
                            var sum: Float = 0
                            for i in 0..<outPlane { sum += g[i] }
                            gradients[bias.offset &+ c] += sum
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
                        let image = xs.baseAddress! + n &* x.imageSize
                        sgemm(transposeA: false, transposeB: true, m: outChannels &* 4, n: inChannels, k: plane,
                              a: blocks, lda: plane, b: image, ldb: plane, beta: 1,
                              c: gradients + weight.offset, ldc: inChannels)
                        sgemm(transposeA: true, transposeB: false, m: inChannels, n: plane, k: outChannels &* 4,
                              a: parameters + weight.offset, lda: inChannels, b: blocks, ldb: plane, beta: 0,
                              c: dxs.baseAddress! + n &* x.imageSize, ldc: plane)
                    }
                }
            }
        }
        return dx
    }
}
