/// The exact Euclidean distance transform of Felzenszwalb & Huttenlocher ("Distance Transforms
/// of Sampled Functions", Theory of Computing 8, 2012): the squared distance from every pixel to
/// the nearest set pixel, in time linear in the pixel count, by a 1-D lower envelope of
/// parabolas over each column and then each row.
///
/// A tolerance check then needs one comparison per pixel, and unlike a dilation by a drawn disc
/// it is exact for any radius, fractional ones included.
public enum DistanceTransform {
    /// Stands for "no set pixel" in the 1-D passes: finite, so differences stay numbers, and far
    /// beyond any squared distance in an image.
    static let far = 1e20

    /// Squared Euclidean distances to the nearest set pixel of `mask` (0 on set pixels); `far`
    /// everywhere when nothing is set.
    public static func squaredDistances(to mask: PixelMask) -> [Double] {
        let width = mask.width, height = mask.height
        var grid = mask.bits.map { $0 ? 0 : far }
        var column = [Double](repeating: 0, count: height)
        for x in 0..<width {
            for y in 0..<height { column[y] = grid[y * width + x] }
            let transformed = envelope(column)
            for y in 0..<height { grid[y * width + x] = transformed[y] }
        }
        for y in 0..<height {
            let row = Array(grid[y * width..<(y + 1) * width])
            grid.replaceSubrange(y * width..<(y + 1) * width, with: envelope(row))
        }
        return grid.map { min($0, far) }
    }

    /// Pixels within `tolerance` (Euclidean, inclusive) of a set pixel of `mask`: the mask
    /// dilated by a disc of that radius.
    public static func near(_ mask: PixelMask, within tolerance: Double) -> PixelMask {
        let limit = tolerance * tolerance
        return PixelMask(width: mask.width, height: mask.height, bits: squaredDistances(to: mask).map { $0 <= limit })
    }

    /// d(q) = min over p of (q - p)² + f(p), by the lower envelope of the parabolas rooted at each p.
    static func envelope(_ f: [Double]) -> [Double] {
        let n = f.count
        var roots = [Int](repeating: 0, count: n)
        var bounds = [Double](repeating: 0, count: n + 1)
        var k = 0
        bounds[0] = -.infinity
        bounds[1] = .infinity
        func intersection(_ q: Int, _ p: Int) -> Double {
            ((f[q] + Double(q * q)) - (f[p] + Double(p * p))) / Double(2 * q - 2 * p)
        }
        for q in 1..<max(n, 1) {
            var s = intersection(q, roots[k])
            while s <= bounds[k] {
                k -= 1
                s = intersection(q, roots[k])
            }
            k += 1
            roots[k] = q
            bounds[k] = s
            bounds[k + 1] = .infinity
        }
        var distances = [Double](repeating: 0, count: n)
        k = 0
        for q in 0..<n {
            while bounds[k + 1] < Double(q) { k += 1 }
            let offset = Double(q - roots[k])
            distances[q] = offset * offset + f[roots[k]]
        }
        return distances
    }
}
