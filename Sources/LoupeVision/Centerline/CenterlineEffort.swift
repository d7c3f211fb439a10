/// What correcting a starting mask costs an expert who traces vessels with a polyline, against
/// drawing the label from scratch, measured on centerlines (after the CAL measure's length
/// term, Gegúndez-Arias et al. 2012, and clDice, Shit et al. 2021).
///
/// - drawing: the centerline length of the label's vessels;
/// - missed: the part of that centerline farther than the tolerance from every predicted vessel
///   pixel (hairlines to draw);
/// - false: the part of the prediction's centerline farther than the tolerance from every label
///   vessel pixel (vessels to erase);
/// - strokes: unbroken pieces of missed or false centerline, one polyline or eraser stroke each.
///
/// Pixel disagreements along a vessel's edge, which no expert fixes, cost nothing here: they
/// lie within the tolerance. Vessels outside the field of view are dropped before thinning.
public struct CenterlineEffort: Equatable, Sendable {
    /// In pixels; 2 px absorbs the boundary disagreement of two experts on STARE-sized images.
    public static let defaultTolerance = 2.0

    public var drawingLength: Double
    public var missedLength: Double
    public var falseLength: Double
    /// Pieces of missed and false centerline together (8-connected): where the two touch, one stroke.
    public var strokes: Int
    public var missedStrokes: Int
    public var falseStrokes: Int

    public static let zero = CenterlineEffort(
        drawingLength: 0, missedLength: 0, falseLength: 0, strokes: 0, missedStrokes: 0, falseStrokes: 0)

    public init(drawingLength: Double, missedLength: Double, falseLength: Double, strokes: Int, missedStrokes: Int, falseStrokes: Int) {
        self.drawingLength = drawingLength
        self.missedLength = missedLength
        self.falseLength = falseLength
        self.strokes = strokes
        self.missedStrokes = missedStrokes
        self.falseStrokes = falseStrokes
    }

    /// Measures `prediction` against `label` inside `fov` (nil: the whole image).
    public init(prediction: PixelMask, label: PixelMask, fov: PixelMask?, tolerance: Double = defaultTolerance) {
        let predicted = fov.map(prediction.intersection) ?? prediction
        let truth = fov.map(label.intersection) ?? label
        let labelLine = Skeleton.thin(truth), predictedLine = Skeleton.thin(predicted)
        let missed = labelLine.subtracting(DistanceTransform.near(predicted, within: tolerance))
        let wrong = predictedLine.subtracting(DistanceTransform.near(truth, within: tolerance))
        let labelWeights = CenterlineLength.weights(of: labelLine)
        let predictedWeights = CenterlineLength.weights(of: predictedLine)
        func length(_ part: PixelMask, _ weights: [Double]) -> Double {
            zip(part.bits, weights).reduce(0) { $0 + ($1.0 ? $1.1 : 0) }
        }
        self.init(
            drawingLength: labelWeights.reduce(0, +), missedLength: length(missed, labelWeights),
            falseLength: length(wrong, predictedWeights), strokes: ConnectedComponents.count(missed.union(wrong)),
            missedStrokes: ConnectedComponents.count(missed), falseStrokes: ConnectedComponents.count(wrong)
        )
    }

    public var correctionLength: Double { missedLength + falseLength }

    /// Correction over drawing cost: 1 is drawing from scratch. A label without vessels counts as
    /// one pixel to draw, so an image with nothing to draw still reports the false vessels to erase.
    public var share: Double { correctionLength / max(drawingLength, 1) }

    /// Pooled over images: lengths and strokes add, and the pooled share is their ratio.
    public static func + (lhs: CenterlineEffort, rhs: CenterlineEffort) -> CenterlineEffort {
        CenterlineEffort(
            drawingLength: lhs.drawingLength + rhs.drawingLength, missedLength: lhs.missedLength + rhs.missedLength,
            falseLength: lhs.falseLength + rhs.falseLength, strokes: lhs.strokes + rhs.strokes,
            missedStrokes: lhs.missedStrokes + rhs.missedStrokes, falseStrokes: lhs.falseStrokes + rhs.falseStrokes
        )
    }
}
