/// The GEMM path: 1x1 layers, and 3x3 layers on CPUs without the direct kernels. Each band of
/// output rows is one OpenBLAS GEMM against the band's im2col columns.
extension Conv2D {
    static func gemmWorkFloats(inChannels: Int, kernel: Int, height: Int, width: Int) -> Int {
        kernel == 1 ? 1 : inChannels &* 9 &* Im2Col.bandRows(channels: inChannels, height: height, width: width) &* width
    }

    func gemmWorkFloats(height: Int, width: Int) -> Int {
        Self.gemmWorkFloats(inChannels: inChannels, kernel: kernel, height: height, width: width)
    }

    /// Adds one image's weight and bias gradients to `weightGradient` and `biasGradient`.
    func gemmParameterGradients(
        image: UnsafePointer<Float>, outputGradient g: UnsafePointer<Float>, height: Int, width: Int,
        weightGradient dw: UnsafeMutablePointer<Float>, biasGradient db: UnsafeMutablePointer<Float>,
        columns: UnsafeMutablePointer<Float>
    ) {
        let plane = height &* width, k = fanIn
        for c in 0..<outChannels {
            let row = g + c &* plane
            var sum: Float = 0
            for i in 0..<plane { sum += row[i] }
            db[c] += sum
        }
        if kernel == 1 {
            sgemm(transposeA: false, transposeB: true, m: outChannels, n: k, k: plane,
                  a: g, lda: plane, b: image, ldb: plane, beta: 1, c: dw, ldc: k)
            return
        }
        let band = Im2Col.bandRows(channels: inChannels, height: height, width: width)
        var start = 0
        while start < height {
            let rows = start..<min(height, start &+ band)
            let span = rows.count &* width
            Im2Col.fill3x3(input: image, channels: inChannels, height: height, width: width, rows: rows, into: columns)
            sgemm(transposeA: false, transposeB: true, m: outChannels, n: k, k: span,
                  a: g + start &* width, lda: plane, b: columns, ldb: span, beta: 1, c: dw, ldc: k)
            start = rows.upperBound
        }
    }

    /// output[:, rows] = weights[out x (in*k*k)] * columns(input)[:, rows] + bias (then ReLU).
    static func gemmForward(
        image: UnsafePointer<Float>, inChannels: Int, height: Int, width: Int, rows: Range<Int>, kernel: Int,
        weights: UnsafePointer<Float>, bias: UnsafePointer<Float>?, outChannels: Int, relu: Bool,
        output: UnsafeMutablePointer<Float>, columns: UnsafeMutablePointer<Float>
    ) {
        let plane = height &* width
        if kernel == 1 {
            let offset = rows.lowerBound &* width
            sgemm(transposeA: false, transposeB: false, m: outChannels, n: rows.count &* width, k: inChannels,
                  a: weights, lda: inChannels, b: image + offset, ldb: plane, beta: 0, c: output + offset, ldc: plane)
        } else {
            let k = inChannels &* 9, band = Im2Col.bandRows(channels: inChannels, height: height, width: width)
            var start = rows.lowerBound
            while start < rows.upperBound {
                let chunk = start..<min(rows.upperBound, start &+ band)
                let span = chunk.count &* width
                Im2Col.fill3x3(input: image, channels: inChannels, height: height, width: width, rows: chunk, into: columns)
                sgemm(transposeA: false, transposeB: false, m: outChannels, n: span, k: k,
                      a: weights, lda: k, b: columns, ldb: span, beta: 0, c: output + start &* width, ldc: plane)
                start = chunk.upperBound
            }
        }
        guard bias != nil || relu else { return }
        let count = rows.count &* width
        for c in 0..<outChannels {
            let row = output + (c &* plane &+ rows.lowerBound &* width)
            if let bias {
                let value = bias[c]
                for i in 0..<count { row[i] += value }
            }
            if relu { ReLU.forward(row, count: count) }
        }
    }
}
