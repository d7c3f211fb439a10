import Foundation

/// The logistic function, used on the network's logits at inference. Training folds it into
/// the loss (see `SegmentationLoss`) for a stable cross-entropy.
enum Sigmoid {
    @inline(__always)
    static func value(_ z: Float) -> Float {
        z >= 0 ? 1 / (1 + expf(-z)) : expf(z) / (1 + expf(z))
    }

    static func forward(_ x: Tensor) -> Tensor {
        var y = x
        y.storage.withUnsafeMutableBufferPointer { ys in
            for i in 0..<ys.count { ys[i] = value(ys[i]) }
        }
        return y
    }

    static func backward(output y: Tensor, outputGradient dy: Tensor) -> Tensor {
        var dx = dy
        for i in 0..<dx.count { dx.storage[i] *= y.storage[i] * (1 - y.storage[i]) }
        return dx
    }
}
