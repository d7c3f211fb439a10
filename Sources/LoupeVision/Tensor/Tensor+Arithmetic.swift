extension Tensor {
    /// Element-wise, split into `workers` contiguous shares.
    mutating func add(_ other: Tensor, workers: Int = 1) {
        precondition(hasShape(of: other), "adding tensors of different shapes")
        let count = self.count
        storage.withUnsafeMutableBufferPointer { target in
            other.storage.withUnsafeBufferPointer { source in
                let t = target.baseAddress!, s = source.baseAddress!
                Parallel.split(count, across: workers) { share in
                    for i in share { t[i] += s[i] }
                }
            }
        }
    }
}
