/// Where an expert clicks next: on the longest piece of centerline still wrong, a "vessel here"
/// click on a missed vessel and a "no vessel here" click on a false one, at the piece's pixel
/// nearest its centroid (a point on the piece, about its middle).
///
/// Pieces are those `CenterlineEffort` counts (the label's centerline farther than the tolerance
/// from every predicted pixel, and the prediction's farther from every label pixel), so a click
/// always aims at effort the expert would otherwise redraw. Training places its simulated
/// clicks by the same rule, so the model learns from the clicks it will be given.
public struct ClickPolicy: Sendable {
    public struct Candidate: Equatable, Sendable {
        public var click: Click
        /// Pixels of centerline in the piece.
        public var length: Int
    }

    private let fov: PixelMask?
    private let truth: PixelMask
    private let truthLine: PixelMask
    private let nearTruth: PixelMask
    private let tolerance: Double

    /// The label's parts every call reads are computed once here: an expert clicks many times
    /// on one image.
    public init(label: PixelMask, fov: PixelMask? = nil, tolerance: Double = CenterlineEffort.defaultTolerance) {
        self.fov = fov
        self.tolerance = tolerance
        truth = fov.map(label.intersection) ?? label
        truthLine = Skeleton.thin(truth)
        nearTruth = DistanceTransform.near(truth, within: tolerance)
    }

    /// Every wrong piece, longest first (ties: missed before false, then by first pixel).
    public func candidates(for prediction: PixelMask) -> [Candidate] {
        let predicted = fov.map(prediction.intersection) ?? prediction
        let missed = truthLine.subtracting(DistanceTransform.near(predicted, within: tolerance))
        let wrong = Skeleton.thin(predicted).subtracting(nearTruth)
        let pieces = ConnectedComponents.components(of: missed).map { ($0, Click.Kind.vessel) }
            + ConnectedComponents.components(of: wrong).map { ($0, Click.Kind.background) }
        let ranked = pieces.enumerated().map { order, piece in
            (order, Candidate(click: Self.middle(of: piece.0, width: prediction.width, kind: piece.1), length: piece.0.count))
        }
        return ranked.sorted { a, b in a.1.length != b.1.length ? a.1.length > b.1.length : a.0 < b.0 }.map(\.1)
    }

    /// The next click: on the longest wrong piece; nil when nothing is wrong.
    public func next(for prediction: PixelMask) -> Click? {
        candidates(for: prediction).first?.click
    }

    private static func middle(of pixels: [Int], width: Int, kind: Click.Kind) -> Click {
        let count = Double(pixels.count)
        let cx = pixels.reduce(0.0) { $0 + Double($1 % width) } / count
        let cy = pixels.reduce(0.0) { $0 + Double($1 / width) } / count
        func distance(_ index: Int) -> Double {
            let dx = Double(index % width) - cx, dy = Double(index / width) - cy
            return dx * dx + dy * dy
        }
        let nearest = pixels.min { distance($0) != distance($1) ? distance($0) < distance($1) : $0 < $1 }!
        return Click(x: nearest % width, y: nearest / width, kind: kind)
    }
}
