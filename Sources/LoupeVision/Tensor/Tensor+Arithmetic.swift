extension Tensor {
    mutating func add(_ other: Tensor) {
        precondition(hasShape(of: other), "adding tensors of different shapes")
        let count = self.count
        storage.withUnsafeMutableBufferPointer { target in
            other.storage.withUnsafeBufferPointer { source in
                let t = target.baseAddress!, s = source.baseAddress!
                for i in 0..<count { t[i] += s[i] }
            }
        }
    }
}
