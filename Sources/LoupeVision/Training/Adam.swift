import Foundation

/// Adam (Kingma & Ba) over the flat parameter vector, with bias-corrected moments.
struct Adam {
    let learningRate: Float
    let beta1: Float = 0.9
    let beta2: Float = 0.999
    let epsilon: Float = 1e-8
    private(set) var step = 0
    private var firstMoment: [Float]
    private var secondMoment: [Float]

    init(parameterCount: Int, learningRate: Float) {
        self.learningRate = learningRate
        firstMoment = [Float](repeating: 0, count: parameterCount)
        secondMoment = [Float](repeating: 0, count: parameterCount)
    }

    mutating func update(_ parameters: inout [Float], gradients: [Float]) {
        step += 1
        let correction1 = 1 - powf(beta1, Float(step))
        let correction2 = 1 - powf(beta2, Float(step))
        let stepSize = learningRate / correction1
        let count = parameters.count
        let (b1, b2, eps) = (beta1, beta2, epsilon)
        parameters.withUnsafeMutableBufferPointer { ps in
            gradients.withUnsafeBufferPointer { gs in
                firstMoment.withUnsafeMutableBufferPointer { ms in
                    secondMoment.withUnsafeMutableBufferPointer { vs in
                        for i in 0..<count {
                            let g = gs[i]
                            let m = b1 * ms[i] + (1 - b1) * g
                            let v = b2 * vs[i] + (1 - b2) * g * g
                            ms[i] = m
                            vs[i] = v
                            ps[i] -= stepSize * m / ((v / correction2).squareRoot() + eps)
                        }
                    }
                }
            }
        }
    }
}
