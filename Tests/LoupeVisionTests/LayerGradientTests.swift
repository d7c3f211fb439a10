import Testing
@testable import LoupeVision

@Suite struct LayerGradientTests {
    private func tensor(_ batch: Int, _ channels: Int, _ height: Int, _ width: Int, seed: UInt64) -> Tensor {
        Tensor(batch: batch, channels: channels, height: height, width: width,
               storage: GradientCheck.random(batch * channels * height * width, seed: seed))
    }

    @Test(arguments: [(3, ConvolutionPath.direct), (3, .im2col), (1, .im2col)])
    func convolutionGradientsMatchFiniteDifferences(kernel: Int, path: ConvolutionPath) {
        var allocator = ParameterSlot.Allocator()
        let conv = Conv2D(inChannels: 2, outChannels: 3, kernel: kernel, allocator: &allocator, path: path)
        let x = tensor(2, 2, 5, 4, seed: 1)
        let parameters = GradientCheck.random(allocator.total, seed: 2, scale: 0.5)
        let probe = GradientCheck.random(2 * 3 * 5 * 4, seed: 3)
        let scratch = Scratch()
        func objective(_ x: Tensor, _ p: [Float]) -> Double {
            GradientCheck.dot(conv.forward(x, parameters: p, scratch: scratch), probe)
        }
        var gradients = [Float](repeating: 0, count: allocator.total)
        let dy = Tensor(batch: 2, channels: 3, height: 5, width: 4, storage: probe)
        let dx = conv.backward(input: x, outputGradient: dy, parameters: parameters, gradients: &gradients,
                               needsInputGradient: true, scratch: scratch)!
        let numericX = GradientCheck.numeric(x.storage) {
            objective(Tensor(batch: 2, channels: 2, height: 5, width: 4, storage: $0), parameters)
        }
        let numericP = GradientCheck.numeric(parameters) { objective(x, $0) }
        #expect(GradientCheck.worstError(dx.storage, numericX) < 2e-3)
        #expect(GradientCheck.worstError(gradients, numericP) < 2e-3)
    }

    @Test(arguments: [ConvolutionPath.direct, .im2col])
    func convolutionMatchesDirectSum(path: ConvolutionPath) {
        var allocator = ParameterSlot.Allocator()
        let conv = Conv2D(inChannels: 2, outChannels: 2, kernel: 3, allocator: &allocator, path: path)
        let x = tensor(1, 2, 4, 3, seed: 4)
        let p = GradientCheck.random(allocator.total, seed: 5)
        let y = conv.forward(x, parameters: p, scratch: Scratch())
        for o in 0..<2 {
            for i in 0..<4 {
                for j in 0..<3 {
                    var sum = Double(p[conv.bias.offset + o])
                    for c in 0..<2 {
                        for ky in 0..<3 {
                            for kx in 0..<3 {
                                let (sy, sx) = (i + ky - 1, j + kx - 1)
                                guard (0..<4).contains(sy), (0..<3).contains(sx) else { continue }
                                sum += Double(p[((o * 2 + c) * 3 + ky) * 3 + kx]) * Double(x[0, c, sy, sx])
                            }
                        }
                    }
                    #expect(abs(Double(y[0, o, i, j]) - sum) < 1e-5)
                }
            }
        }
    }

    @Test func transposedConvolutionGradientsMatchFiniteDifferences() {
        var allocator = ParameterSlot.Allocator()
        let up = TransposedConv2D(inChannels: 3, outChannels: 2, allocator: &allocator)
        let x = tensor(2, 3, 3, 2, seed: 6)
        let parameters = GradientCheck.random(allocator.total, seed: 7, scale: 0.5)
        let probe = GradientCheck.random(2 * 2 * 6 * 4, seed: 8)
        let scratch = Scratch()
        func objective(_ x: Tensor, _ p: [Float]) -> Double {
            GradientCheck.dot(up.forward(x, parameters: p, scratch: scratch), probe)
        }
        var gradients = [Float](repeating: 0, count: allocator.total)
        let dx = up.backward(input: x, outputGradient: Tensor(batch: 2, channels: 2, height: 6, width: 4, storage: probe),
                             parameters: parameters, gradients: &gradients, scratch: scratch)
        let numericX = GradientCheck.numeric(x.storage) {
            objective(Tensor(batch: 2, channels: 3, height: 3, width: 2, storage: $0), parameters)
        }
        #expect(GradientCheck.worstError(dx.storage, numericX) < 2e-3)
        #expect(GradientCheck.worstError(gradients, GradientCheck.numeric(parameters) { objective(x, $0) }) < 2e-3)
    }

    @Test func maxPoolRoutesGradientToTheMaximumAndAddsTheSkipGradient() {
        let x = tensor(1, 2, 4, 6, seed: 9)
        let probe = GradientCheck.random(2 * 2 * 3, seed: 10)
        let dy = Tensor(batch: 1, channels: 2, height: 2, width: 3, storage: probe)
        let dx = MaxPool2D.backward(input: x, outputGradient: dy, adding: Tensor(batch: 1, channels: 2, height: 4, width: 6))
        let numeric = GradientCheck.numeric(x.storage, step: 1e-3) {
            GradientCheck.dot(MaxPool2D.forward(Tensor(batch: 1, channels: 2, height: 4, width: 6, storage: $0)), probe)
        }
        #expect(GradientCheck.worstError(dx.storage, numeric) < 1e-3)
        #expect(MaxPool2D.forward(x)[0, 1, 1, 2] == [x[0, 1, 2, 4], x[0, 1, 2, 5], x[0, 1, 3, 4], x[0, 1, 3, 5]].max())
        let skip = tensor(1, 2, 4, 6, seed: 15)
        let summed = MaxPool2D.backward(input: x, outputGradient: dy, adding: skip, workers: 2)
        #expect(summed.storage == zip(dx.storage, skip.storage).map { $0 + $1 })
    }

    @Test func maxPoolGivesTiesToTheFirstPositionInRowOrder() {
        let x = Tensor(batch: 1, channels: 1, height: 2, width: 6, storage: [1, 1, 0, 2, 0, 0,
                                                                             1, 1, 2, 2, 0, 3])
        let dx = MaxPool2D.backward(input: x, outputGradient: Tensor(batch: 1, channels: 1, height: 1, width: 3, storage: [5, 6, 7]),
                                    adding: Tensor(batch: 1, channels: 1, height: 2, width: 6))
        #expect(dx.storage == [5, 0, 0, 6, 0, 0,
                               0, 0, 0, 0, 0, 7])
    }

    @Test func reluGatesGradientByItsOutput() {
        let x = Tensor(batch: 1, channels: 1, height: 2, width: 3, storage: [-1.5, 0.7, 2, -0.2, 0.4, -3])
        var y = x
        y.storage.withUnsafeMutableBufferPointer { ReLU.forward($0.baseAddress!, count: $0.count) }
        #expect(y.storage == [0, 0.7, 2, 0, 0.4, 0])
        let probe: [Float] = [1, 2, 3, 4, 5, 6]
        var dy = Tensor(batch: 1, channels: 1, height: 2, width: 3, storage: probe)
        ReLU.backward(output: y, outputGradient: &dy)
        let numeric = GradientCheck.numeric(x.storage, step: 1e-2) {
            var t = Tensor(batch: 1, channels: 1, height: 2, width: 3, storage: $0)
            t.storage.withUnsafeMutableBufferPointer { ReLU.forward($0.baseAddress!, count: $0.count) }
            return GradientCheck.dot(t, probe)
        }
        #expect(GradientCheck.worstError(dy.storage, numeric) < 1e-4)
    }

    @Test func sigmoidGradientMatchesFiniteDifferences() {
        let x = tensor(1, 2, 2, 2, seed: 11)
        let probe = GradientCheck.random(8, seed: 12)
        let y = Sigmoid.forward(x)
        #expect(abs(Sigmoid.value(0) - 0.5) < 1e-7)
        #expect(abs(Sigmoid.value(2) - 0.880797) < 1e-6)
        let dx = Sigmoid.backward(output: y, outputGradient: Tensor(batch: 1, channels: 2, height: 2, width: 2, storage: probe))
        let numeric = GradientCheck.numeric(x.storage, step: 1e-3) {
            GradientCheck.dot(Sigmoid.forward(Tensor(batch: 1, channels: 2, height: 2, width: 2, storage: $0)), probe)
        }
        #expect(GradientCheck.worstError(dx.storage, numeric) < 1e-3)
    }

    @Test func concatSplitsGradientBackByChannel() {
        let a = tensor(2, 1, 2, 2, seed: 13), b = tensor(2, 2, 2, 2, seed: 14)
        let y = Concat.forward(a, b)
        #expect(y[1, 0, 1, 1] == a[1, 0, 1, 1])
        #expect(y[1, 2, 0, 1] == b[1, 1, 0, 1])
        let (da, db) = Concat.backward(y, firstChannels: 1)
        #expect(da == a)
        #expect(db == b)
    }
}
