import Testing
@testable import LoupeVision

/// The direct kernels against the im2col + GEMM path, forward with ReLU and backward gated by
/// that ReLU's output, on shapes that reach every edge case of the direct kernels: output channels not a multiple of 4, widths not a multiple of 8, images
/// split into several internal bands, and row bands split across workers.
@Suite(.enabled(if: ConvolutionPath.preferred == .direct, "this CPU has no AVX2 + FMA"))
struct ConvolutionPathTests {
    struct Shape: Sendable, CustomTestStringConvertible {
        var batch, inChannels, outChannels, height, width, workers: Int
        var testDescription: String { "\(batch)x\(inChannels)->\(outChannels) \(height)x\(width), \(workers) workers" }
    }

    static let shapes = [
        Shape(batch: 2, inChannels: 1, outChannels: 16, height: 17, width: 13, workers: 2),
        Shape(batch: 1, inChannels: 5, outChannels: 7, height: 9, width: 30, workers: 2),
        Shape(batch: 3, inChannels: 16, outChannels: 4, height: 3, width: 40, workers: 2),
        Shape(batch: 1, inChannels: 3, outChannels: 5, height: 1, width: 1, workers: 1),
        Shape(batch: 1, inChannels: 64, outChannels: 8, height: 11, width: 200, workers: 2),
        Shape(batch: 2, inChannels: 12, outChannels: 12, height: 16, width: 16, workers: 1),
    ]

    @Test(arguments: shapes)
    func directKernelsAgreeWithIm2col(shape: Shape) {
        let (b, i, o, h, w) = (shape.batch, shape.inChannels, shape.outChannels, shape.height, shape.width)
        func run(_ path: ConvolutionPath) -> (y: [Float], dx: [Float], gradients: [Float]) {
            var allocator = ParameterSlot.Allocator()
            let conv = Conv2D(inChannels: i, outChannels: o, kernel: 3, allocator: &allocator, path: path)
            let parameters = GradientCheck.random(allocator.total, seed: 7)
            let x = Tensor(batch: b, channels: i, height: h, width: w, storage: GradientCheck.random(b * i * h * w, seed: 8))
            let dy = Tensor(batch: b, channels: o, height: h, width: w, storage: GradientCheck.random(b * o * h * w, seed: 9))
            let scratch = Scratch(workers: shape.workers)
            var gradients = [Float](repeating: 0, count: allocator.total)
            let y = parameters.withUnsafeBufferPointer {
                conv.forward(x, parameters: $0.baseAddress!, scratch: scratch, relu: true)
            }
            let dx = parameters.withUnsafeBufferPointer { p in
                gradients.withUnsafeMutableBufferPointer { g in
                    conv.backward(input: x, outputGradient: dy, gate: y, parameters: p.baseAddress!,
                                  gradients: g.baseAddress!, needsInputGradient: true, scratch: scratch)!
                }
            }
            return (y.storage, dx.storage, gradients)
        }
        let direct = run(.direct), reference = run(.im2col)
        #expect(direct.y.contains { $0 == 0 } && direct.y.contains { $0 > 0 }, "ReLU left both signs untouched")
        #expect(worstRelativeError(direct.y, reference.y) < 1e-5)
        #expect(worstRelativeError(direct.dx, reference.dx) < 1e-5)
        #expect(worstRelativeError(direct.gradients, reference.gradients) < 1e-5)
    }

    @Test func directKernelsAreBitwiseRepeatable() {
        var allocator = ParameterSlot.Allocator()
        let conv = Conv2D(inChannels: 8, outChannels: 12, kernel: 3, allocator: &allocator, path: .direct)
        let parameters = GradientCheck.random(allocator.total, seed: 1)
        let x = Tensor(batch: 4, channels: 8, height: 24, width: 20, storage: GradientCheck.random(4 * 8 * 24 * 20, seed: 2))
        func gradients() -> [Float] {
            var g = [Float](repeating: 0, count: allocator.total)
            let y = conv.forward(x, parameters: parameters, scratch: Scratch(workers: 2))
            _ = conv.backward(input: x, outputGradient: y, parameters: parameters, gradients: &g,
                              needsInputGradient: false, scratch: Scratch(workers: 2))
            return g
        }
        let first = gradients()
        #expect(first.contains { $0 != 0 })
        for _ in 0..<3 { #expect(gradients() == first) }
    }

    @Test func joinedInputsMatchTheirConcatenation() {
        var allocator = ParameterSlot.Allocator()
        let conv = Conv2D(inChannels: 7, outChannels: 6, kernel: 3, allocator: &allocator, path: .direct)
        let parameters = GradientCheck.random(allocator.total, seed: 4)
        let skip = Tensor(batch: 2, channels: 3, height: 10, width: 13, storage: GradientCheck.random(2 * 3 * 130, seed: 5))
        let up = Tensor(batch: 2, channels: 4, height: 10, width: 13, storage: GradientCheck.random(2 * 4 * 130, seed: 6))
        let scratch = Scratch(workers: 2)
        let joined = parameters.withUnsafeBufferPointer {
            conv.forward(skip, joinedWith: up, parameters: $0.baseAddress!, scratch: scratch, relu: true)
        }
        let copied = parameters.withUnsafeBufferPointer {
            conv.forward(Concat.forward(skip, up), parameters: $0.baseAddress!, scratch: scratch, relu: true)
        }
        #expect(joined.storage.contains { $0 > 0 })
        #expect(joined.storage == copied.storage)
    }

    /// The joined backward pass reads the two maps and writes the two gradients in place; the
    /// same pass over their concatenation, split afterwards, is what it must give, bitwise.
    @Test(arguments: ConvolutionPath.available)
    func joinedBackwardMatchesTheConcatenationsSplit(path: ConvolutionPath) {
        var allocator = ParameterSlot.Allocator()
        let conv = Conv2D(inChannels: 7, outChannels: 6, kernel: 3, allocator: &allocator, path: path)
        let parameters = GradientCheck.random(allocator.total, seed: 4)
        let skip = Tensor(batch: 3, channels: 3, height: 10, width: 13, storage: GradientCheck.random(3 * 3 * 130, seed: 5))
        let up = Tensor(batch: 3, channels: 4, height: 10, width: 13, storage: GradientCheck.random(3 * 4 * 130, seed: 6))
        let scratch = Scratch(workers: 2)
        let y = conv.forward(skip, joinedWith: up, parameters: parameters, scratch: scratch, relu: true)
        let dy = Tensor(batch: 3, channels: 6, height: 10, width: 13, storage: GradientCheck.random(3 * 6 * 130, seed: 7))
        var joinedGradients = [Float](repeating: 0, count: allocator.total)
        let (dSkip, dUp) = parameters.withUnsafeBufferPointer { p in
            joinedGradients.withUnsafeMutableBufferPointer { g in
                conv.backward(input: skip, joinedWith: up, outputGradient: dy, gate: y, parameters: p.baseAddress!,
                              gradients: g.baseAddress!, scratch: scratch)
            }
        }
        var copiedGradients = [Float](repeating: 0, count: allocator.total)
        let dJoined = parameters.withUnsafeBufferPointer { p in
            copiedGradients.withUnsafeMutableBufferPointer { g in
                conv.backward(input: Concat.forward(skip, up), outputGradient: dy, gate: y, parameters: p.baseAddress!,
                              gradients: g.baseAddress!, needsInputGradient: true, scratch: scratch)!
            }
        }
        let (expectedSkip, expectedUp) = Concat.backward(dJoined, firstChannels: 3)
        #expect(dSkip.channels == 3 && dUp.channels == 4)
        #expect(dSkip.storage.contains { $0 != 0 } && dUp.storage.contains { $0 != 0 })
        #expect(dSkip == expectedSkip)
        #expect(dUp == expectedUp)
        #expect(joinedGradients.contains { $0 != 0 })
        #expect(joinedGradients == copiedGradients)
    }

    private func worstRelativeError(_ a: [Float], _ b: [Float]) -> Double {
        precondition(a.count == b.count)
        let scale = b.map { abs(Double($0)) }.max() ?? 1
        return zip(a, b).map { abs(Double($0) - Double($1)) / max(scale, 1e-12) }.max() ?? 0
    }
}
