/// Channel concatenation of two maps of the same size: `[a channels..., b channels...]`.
enum Concat {
    /// The copies (one per image and part) are split across `workers`.
    static func forward(_ a: Tensor, _ b: Tensor, workers: Int = 1) -> Tensor {
        precondition(a.batch == b.batch && a.height == b.height && a.width == b.width, "concat needs equal sizes")
        var y = Tensor(uninitializedBatch: a.batch, channels: a.channels + b.channels, height: a.height, width: a.width)
        let aSize = a.imageSize, bSize = b.imageSize, ySize = aSize + bSize
        y.storage.withUnsafeMutableBufferPointer { ys in
            a.storage.withUnsafeBufferPointer { first in
                b.storage.withUnsafeBufferPointer { second in
                    Parallel.split(2 * a.batch, across: workers) { copies in
                        for copy in copies {
                            let n = copy / 2, target = ys.baseAddress! + n &* ySize
                            if copy % 2 == 0 {
                                target.update(from: first.baseAddress! + n &* aSize, count: aSize)
                            } else {
                                (target + aSize).update(from: second.baseAddress! + n &* bSize, count: bSize)
                            }
                        }
                    }
                }
            }
        }
        return y
    }

    static func backward(_ dy: Tensor, firstChannels: Int, workers: Int = 1) -> (Tensor, Tensor) {
        var da = Tensor(uninitializedBatch: dy.batch, channels: firstChannels, height: dy.height, width: dy.width)
        var db = Tensor(
            uninitializedBatch: dy.batch, channels: dy.channels - firstChannels, height: dy.height, width: dy.width)
        let aSize = da.imageSize, bSize = db.imageSize, ySize = dy.imageSize
        dy.storage.withUnsafeBufferPointer { ds in
            da.storage.withUnsafeMutableBufferPointer { first in
                db.storage.withUnsafeMutableBufferPointer { second in
                    Parallel.split(2 * dy.batch, across: workers) { copies in
                        for copy in copies {
                            let n = copy / 2, source = ds.baseAddress! + n &* ySize
                            if copy % 2 == 0 {
                                (first.baseAddress! + n &* aSize).update(from: source, count: aSize)
                            } else {
                                (second.baseAddress! + n &* bSize).update(from: source + aSize, count: bSize)
                            }
                        }
                    }
                }
            }
        }
        return (da, db)
    }
}
