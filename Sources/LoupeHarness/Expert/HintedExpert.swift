import LoupeVision

/// The simulated expert with a hint budget: clicks the longest piece of centerline still wrong
/// (`ClickPolicy`: "vessel here" on a missed vessel, "no vessel here" on a false one), lets the
/// model re-predict, and repeats until the budget is spent or nothing is wrong; what is left
/// is drawn with the polyline and counted by `CenterlineEffort`.
package struct HintedExpert {
    package struct Outcome {
        package var probability: [Float]
        package var clicks: [Click]
        package var effort: CenterlineEffort
        package var minutes: Double
    }

    package var budget: Int
    package var threshold: Float = 0.5

    package init(budget: Int, threshold: Float = 0.5) {
        self.budget = budget
        self.threshold = threshold
    }

    /// Corrects one image starting from `probability`, the model's answer without clicks.
    package func correct(
        image: RasterImage, fov: RasterImage, label: RasterImage, predictor: Predictor, probability: [Float]
    ) -> Outcome {
        let (width, height) = (image.width, image.height)
        let truth = PixelMask(label), field = PixelMask(fov)
        var current = probability
        var clicks: [Click] = []
        if budget > 0 {
            var session = HintSession(predictor: predictor, image: image, fov: fov, probability: probability)
            while clicks.count < budget,
                  let click = ClickPolicy.next(
                      prediction: PixelMask(probability: session.probability, width: width, height: height,
                                            threshold: threshold),
                      label: truth, fov: field)
            {
                session.add([click])
                clicks.append(click)
            }
            current = session.probability
        }
        let effort = CenterlineEffort(
            prediction: PixelMask(probability: current, width: width, height: height, threshold: threshold),
            label: truth, fov: field)
        return Outcome(probability: current, clicks: clicks, effort: effort,
                       minutes: ExpertTime.minutes(centerlineShare: effort.share, clicks: clicks.count))
    }
}
