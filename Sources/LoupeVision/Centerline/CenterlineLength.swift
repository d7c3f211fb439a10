/// The length of a thin line in pixel units, so that a diagonal vessel costs what it measures
/// rather than what a pixel count says (1/√2 of it).
///
/// Each skeleton pixel weighs the mean length of its links to set 8-neighbours (1 across an
/// edge, √2 across a corner; 1 with no link). A straight line of n pixels measures n in either
/// direction (n√2 on a diagonal), and a curve between the two. A diagonal link is skipped where
/// both pixels also meet through a shared set 4-neighbour: Zhang-Suen leaves such staircase
/// corners, and the step would otherwise be walked twice.
///
/// Weights come from the whole skeleton, so the length of any part of it (the missed pixels,
/// say) plus the rest adds up to the whole.
public enum CenterlineLength {
    public static func weights(of skeleton: PixelMask) -> [Double] {
        let width = skeleton.width
        var weights = [Double](repeating: 0, count: skeleton.bits.count)
        for index in skeleton.bits.indices where skeleton.bits[index] {
            let x = index % width, y = index / width
            var links = 0, total = 0.0
            for (dx, dy) in [(1, 0), (-1, 0), (0, 1), (0, -1)] where skeleton[x + dx, y + dy] {
                links += 1
                total += 1
            }
            for (dx, dy) in [(1, 1), (1, -1), (-1, 1), (-1, -1)] where skeleton[x + dx, y + dy] {
                guard !skeleton[x + dx, y], !skeleton[x, y + dy] else { continue }
                links += 1
                total += 2.0.squareRoot()
            }
            weights[index] = links == 0 ? 1 : total / Double(links)
        }
        return weights
    }

    /// The length of the whole skeleton.
    public static func of(_ skeleton: PixelMask) -> Double {
        weights(of: skeleton).reduce(0, +)
    }
}
