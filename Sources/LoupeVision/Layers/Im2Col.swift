/// Column matrices for a 3x3 convolution with padding 1 over one image, restricted to a band of
/// output rows so that the buffer stays bounded on large images.
///
/// Row `(c * 9 + ky * 3 + kx)` of the result, column `(y - rows.lowerBound) * width + x`, holds
/// `input[c, y + ky - 1, x + kx - 1]`, or 0 outside the image.
enum Im2Col {
    static func fill3x3(
        input: UnsafePointer<Float>, channels: Int, height: Int, width: Int,
        rows: Range<Int>, into columns: UnsafeMutablePointer<Float>
    ) {
        let bandSize = rows.count &* width
        let plane = height &* width
        for c in 0..<channels {
            let source = input + c &* plane
            for ky in 0..<3 {
                for kx in 0..<3 {
                    let destination = columns + (c &* 9 &+ ky &* 3 &+ kx) &* bandSize
                    for y in rows {
                        let row = destination + (y &- rows.lowerBound) &* width
                        let sy = y &+ ky &- 1
                        if sy < 0 || sy >= height {
                            row.update(repeating: 0, count: width)
                            continue
                        }
                        let sourceRow = source + sy &* width
                        switch kx {
                        case 0:
                            row[0] = 0
                            (row + 1).update(from: sourceRow, count: width &- 1)
                        case 1:
                            row.update(from: sourceRow, count: width)
                        default:
                            row.update(from: sourceRow + 1, count: width &- 1)
                            row[width &- 1] = 0
                        }
                    }
                }
            }
        }
    }

    /// Output rows per band so that `channels * 9 * rows * width` stays near `budget` floats.
    /// 2 MiB of columns stay in a core's L2 between im2col writing them and the GEMM packing
    /// them; larger bands went out to memory and trained about 20% slower.
    static func bandRows(channels: Int, height: Int, width: Int, budget: Int = 1 << 19) -> Int {
        let perRow = channels &* 9 &* width
        return max(1, min(height, budget / max(perRow, 1)))
    }
}
