/// 2x2 max-pooling with stride 2 over even-sized maps. Backward recomputes the winning position
/// from the kept input instead of storing indices; ties go to the first position in row order.
enum MaxPool2D {
    /// Planes are split across `workers`: on one large image (inference) a serial pass was a
    /// visible share of the wall time.
    static func forward(_ x: Tensor, workers: Int = 1) -> Tensor {
        precondition(x.height % 2 == 0 && x.width % 2 == 0, "max-pool needs even height and width")
        let h = x.height / 2, w = x.width / 2
        var y = Tensor(uninitializedBatch: x.batch, channels: x.channels, height: h, width: w)
        let planes = x.batch &* x.channels, inWidth = x.width
        x.storage.withUnsafeBufferPointer { xs in
            y.storage.withUnsafeMutableBufferPointer { ys in
                Parallel.split(planes, across: workers) { share in
                    for p in share {
                        let source = xs.baseAddress! + p &* x.planeSize
                        let target = ys.baseAddress! + p &* h &* w
                        for i in 0..<h {
                            let top = source + 2 &* i &* inWidth, bottom = top + inWidth
                            let row = target + i &* w
                            for j in 0..<w {
                                let a = top[2 &* j], b = top[2 &* j &+ 1]
                                let c = bottom[2 &* j], d = bottom[2 &* j &+ 1]
                                row[j] = max(max(a, b), max(c, d))
                            }
                        }
                    }
                }
            }
        }
        return y
    }

    /// dx + `skip`: a UNet adds its skip connection's gradient to every max-pool's input gradient,
    /// and doing it here, in the one pass that writes every input position, saves zero-filling dx
    /// and a second pass over it.
    static func backward(input x: Tensor, outputGradient dy: Tensor, adding skip: Tensor, workers: Int = 1) -> Tensor {
        precondition(skip.hasShape(of: x), "the added gradient must be shaped like the input")
        var dx = Tensor(uninitializedBatch: x.batch, channels: x.channels, height: x.height, width: x.width)
        let h = dy.height, w = dy.width, inWidth = x.width
        let planes = x.batch &* x.channels
        x.storage.withUnsafeBufferPointer { xs in
            dy.storage.withUnsafeBufferPointer { dys in
                skip.storage.withUnsafeBufferPointer { skips in
                    dx.storage.withUnsafeMutableBufferPointer { dxs in
                        Parallel.split(planes &* h, across: workers) { share in
                            for row in share {
                                let (top, bottom) = (2 &* row &* inWidth, (2 &* row &+ 1) &* inWidth)
                                backwardRow(
                                    top: xs.baseAddress! + top, bottom: xs.baseAddress! + bottom,
                                    gradient: dys.baseAddress! + row &* w, count: w,
                                    skipTop: skips.baseAddress! + top, skipBottom: skips.baseAddress! + bottom,
                                    dxTop: dxs.baseAddress! + top, dxBottom: dxs.baseAddress! + bottom)
                            }
                        }
                    }
                }
            }
        }
        return dx
    }

    /// One row of windows, all four positions of each written. Ties go to the first position in
    /// row order.
    @inline(__always)
    private static func backwardRow(
        top: UnsafePointer<Float>, bottom: UnsafePointer<Float>, gradient: UnsafePointer<Float>, count: Int,
        skipTop: UnsafePointer<Float>, skipBottom: UnsafePointer<Float>,
        dxTop: UnsafeMutablePointer<Float>, dxBottom: UnsafeMutablePointer<Float>
    ) {
        for j in 0..<count {
            let l = 2 &* j, r = l &+ 1
            let upperRight = top[r] > top[l], lowerRight = bottom[r] > bottom[l]
            let lowerWins = (lowerRight ? bottom[r] : bottom[l]) > (upperRight ? top[r] : top[l])
            let g = gradient[j]
            dxTop[l] = skipTop[l] + (!lowerWins && !upperRight ? g : 0)
            dxTop[r] = skipTop[r] + (!lowerWins && upperRight ? g : 0)
            dxBottom[l] = skipBottom[l] + (lowerWins && !lowerRight ? g : 0)
            dxBottom[r] = skipBottom[r] + (lowerWins && lowerRight ? g : 0)
        }
    }
}
