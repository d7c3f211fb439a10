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

    /// dx, plus `adding` where given: a UNet adds its skip connection's gradient here, in the
    /// same pass that writes every input position, instead of zero-filling dx and adding after.
    static func backward(input x: Tensor, outputGradient dy: Tensor, adding addend: Tensor? = nil, workers: Int = 1) -> Tensor {
        precondition(addend.map { $0.hasShape(of: x) } ?? true, "the added gradient must be shaped like the input")
        var dx = Tensor(uninitializedBatch: x.batch, channels: x.channels, height: x.height, width: x.width)
        let h = dy.height, w = dy.width, inWidth = x.width
        let planes = x.batch &* x.channels
        x.storage.withUnsafeBufferPointer { xs in
            dy.storage.withUnsafeBufferPointer { dys in
                dx.storage.withUnsafeMutableBufferPointer { dxs in
                    addend.withUnsafeStorage { adds in
                        Parallel.split(planes, across: workers) { share in
                            for p in share {
                                let source = xs.baseAddress! + p &* x.planeSize
                                let target = dxs.baseAddress! + p &* x.planeSize
                                let extra = adds.map { $0 + p &* x.planeSize }
                                let gradient = dys.baseAddress! + p &* h &* w
                                for i in 0..<h {
                                    let top = 2 &* i &* inWidth, bottom = top &+ inWidth
                                    for j in 0..<w {
                                        let a = top &+ 2 &* j, b = a &+ 1, c = bottom &+ 2 &* j, d = c &+ 1
                                        let upper = source[b] > source[a] ? b : a
                                        let lower = source[d] > source[c] ? d : c
                                        let best = source[lower] > source[upper] ? lower : upper
                                        let value = gradient[i &* w &+ j]
                                        target[a] = (a == best ? value : 0) + (extra?[a] ?? 0)
                                        target[b] = (b == best ? value : 0) + (extra?[b] ?? 0)
                                        target[c] = (c == best ? value : 0) + (extra?[c] ?? 0)
                                        target[d] = (d == best ? value : 0) + (extra?[d] ?? 0)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx
    }
}
