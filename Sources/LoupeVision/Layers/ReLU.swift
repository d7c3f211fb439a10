/// ReLU applied in place; backward gates by the kept output (y > 0 exactly where x > 0), so the
/// pre-activation never has to be stored.
enum ReLU {
    static func forward(_ values: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { values[i] = max(values[i], 0) }
    }

    static func backward(output y: Tensor, outputGradient dy: inout Tensor) {
        let count = y.count
        y.storage.withUnsafeBufferPointer { ys in
            dy.storage.withUnsafeMutableBufferPointer { ds in
                let out = ys.baseAddress!, g = ds.baseAddress!
                for i in 0..<count { g[i] = out[i] > 0 ? g[i] : 0 }
            }
        }
    }
}
