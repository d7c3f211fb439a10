import Foundation

/// The two guidance planes a guided model reads beside the image: plane 0 for "vessel here"
/// clicks, plane 1 for "no vessel here" clicks, each a Gaussian bump of height 1 around every
/// click (the maximum where two overlap).
///
/// Why a Gaussian of this width rather than a one-pixel disc: a click lands on a vessel 2-8 px
/// wide, and rarely on its exact middle; a bump a few vessel widths across says "near here"
/// without claiming which pixel, and it gives the first convolutions a gradient to read from
/// every pixel of the vessel's cross-section. DeepGrow and DeepEdit encode clicks the same way.
/// The network's own receptive field then carries the hint along the vessel.
public enum GuidanceMaps {
    public static let planes = 2
    /// The bump's standard deviation in pixels.
    public static let sigma = 6.0
    /// Beyond this distance from a click its bump is taken as 0: three standard deviations.
    public static let reach = Int((3 * sigma).rounded(.up))

    /// Writes both planes for the window `x0..<x0+width`, `y0..<y0+height` of the image into
    /// `planes` (2 * width * height values, plane-major), from clicks in image coordinates.
    /// Values outside every bump are left as they are (callers pass zeros).
    static func fill(
        _ planes: UnsafeMutablePointer<Float>, clicks: [Click], x0: Int, y0: Int, width: Int, height: Int
    ) {
        let plane = width * height
        let scale = -1 / (2 * sigma * sigma)
        for click in clicks {
            let base = planes + (click.kind == .vessel ? 0 : plane)
            let left = max(x0, click.x - reach), right = min(x0 + width, click.x + reach + 1)
            let top = max(y0, click.y - reach), bottom = min(y0 + height, click.y + reach + 1)
            // A click whose bump misses the window (a hint's earlier click far from the tile)
            // leaves it as it is.
            guard left < right, top < bottom else { continue }
            let xs = left..<right
            for y in top..<bottom {
                let dy = Double(y - click.y)
                for x in xs {
                    let dx = Double(x - click.x)
                    let value = Float(exp((dx * dx + dy * dy) * scale))
                    let index = (y - y0) * width + (x - x0)
                    base[index] = max(base[index], value)
                }
            }
        }
    }

    /// Both planes for a whole `width` x `height` image.
    public static func planes(for clicks: [Click], width: Int, height: Int) -> [Float] {
        var planes = [Float](repeating: 0, count: Self.planes * width * height)
        planes.withUnsafeMutableBufferPointer {
            fill($0.baseAddress!, clicks: clicks, x0: 0, y0: 0, width: width, height: height)
        }
        return planes
    }
}
