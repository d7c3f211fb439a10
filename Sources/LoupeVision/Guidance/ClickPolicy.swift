/// Where an expert clicks next: on the largest piece of centerline still wrong, a "vessel here"
/// click on a missed vessel and a "no vessel here" click on a false one, at the piece's pixel
/// nearest its centroid (a point on the piece, about its middle).
///
/// Pieces are those `CenterlineEffort` counts (the label's centerline farther than the tolerance
/// from every predicted pixel, and the prediction's farther from every label pixel), so a click
/// always aims at effort the expert would otherwise redraw. Training places its simulated
/// clicks by the same rule, so the model learns from the clicks it will be given.
public enum ClickPolicy {
    public struct Candidate: Equatable, Sendable {
        public var click: Click
        /// Pixels of centerline in the piece.
        public var length: Int
    }

    /// Every wrong piece, longest first (ties: missed before false, then by position).
    public static func candidates(
        prediction: PixelMask, label: PixelMask, fov: PixelMask? = nil,
        tolerance: Double = CenterlineEffort.defaultTolerance
    ) -> [Candidate] {
        let predicted = fov.map(prediction.intersection) ?? prediction
        let truth = fov.map(label.intersection) ?? label
        let missed = Skeleton.thin(truth).subtracting(DistanceTransform.near(predicted, within: tolerance))
        let wrong = Skeleton.thin(predicted).subtracting(DistanceTransform.near(truth, within: tolerance))
        let pieces = ConnectedComponents.components(of: missed).map { ($0, Click.Kind.vessel) }
            + ConnectedComponents.components(of: wrong).map { ($0, Click.Kind.background) }
        let width = prediction.width
        let ranked = pieces.map { pixels, kind in
            Candidate(click: middle(of: pixels, width: width, kind: kind), length: pixels.count)
        }
        return ranked.enumerated().sorted { a, b in
            a.element.length != b.element.length ? a.element.length > b.element.length : a.offset < b.offset
        }.map(\.element)
    }

    /// The next click: on the longest wrong piece; nil when nothing is wrong.
    public static func next(
        prediction: PixelMask, label: PixelMask, fov: PixelMask? = nil,
        tolerance: Double = CenterlineEffort.defaultTolerance
    ) -> Click? {
        candidates(prediction: prediction, label: label, fov: fov, tolerance: tolerance).first?.click
    }

    private static func middle(of pixels: [Int], width: Int, kind: Click.Kind) -> Click {
        let count = Double(pixels.count)
        let cx = pixels.reduce(0.0) { $0 + Double($1 % width) } / count
        let cy = pixels.reduce(0.0) { $0 + Double($1 / width) } / count
        let nearest = pixels.min { a, b in
            let da = (Double(a % width) - cx) * (Double(a % width) - cx) + (Double(a / width) - cy) * (Double(a / width) - cy)
            let db = (Double(b % width) - cx) * (Double(b % width) - cx) + (Double(b / width) - cy) * (Double(b / width) - cy)
            return da != db ? da < db : a < b
        }!
        return Click(x: nearest % width, y: nearest / width, kind: kind)
    }
}
