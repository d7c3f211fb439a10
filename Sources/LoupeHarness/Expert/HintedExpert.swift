import LoupeVision

/// The simulated expert with a hint budget: clicks the longest piece of centerline still wrong
/// (`ClickPolicy`: "vessel here" on a missed vessel, "no vessel here" on a false one), lets the
/// model re-predict, and repeats until the budget is spent or nothing is wrong; what is left
/// is drawn with the polyline and counted by `CenterlineEffort`.
///
/// The policy is greedy and deterministic, so the expert with budget 5 makes the first 5 clicks
/// of the expert with budget 20: one pass reports every budget asked for.
package struct HintedExpert {
    package struct Outcome: Codable, Equatable, Sendable {
        package var budget: Int
        package var clicks: Int
        package var effort: CenterlineEffort
        package var minutes: Double
    }

    package var budgets: [Int]
    package var threshold: Float

    package init(budgets: [Int], threshold: Float = 0.5) {
        self.budgets = Array(Set(budgets)).sorted()
        self.threshold = threshold
    }

    /// Corrects one image starting from `probability`, the model's answer without clicks; one
    /// outcome per budget, smallest first, and the probabilities after the largest budget.
    package func correct(
        image: RasterImage, fov: RasterImage, label: RasterImage, predictor: Predictor, probability: [Float]
    ) -> (outcomes: [Outcome], probability: [Float]) {
        let (width, height) = (image.width, image.height)
        let truth = PixelMask(label), field = PixelMask(fov)
        func outcome(_ budget: Int, _ map: [Float], clicks: Int) -> Outcome {
            let effort = CenterlineEffort(
                prediction: PixelMask(probability: map, width: width, height: height, threshold: threshold),
                label: truth, fov: field)
            return Outcome(budget: budget, clicks: clicks, effort: effort,
                           minutes: ExpertTime.minutes(centerlineShare: effort.share, clicks: clicks))
        }
        guard let largest = budgets.last, largest > 0 else {
            return (budgets.map { outcome($0, probability, clicks: 0) }, probability)
        }
        var session = HintSession(predictor: predictor, image: image, fov: fov, probability: probability)
        let policy = ClickPolicy(label: truth, fov: field)
        var outcomes: [Outcome] = []
        var clicks = 0
        for budget in budgets {
            while clicks < budget,
                  let click = policy.next(
                      for: PixelMask(probability: session.probability, width: width, height: height, threshold: threshold))
            {
                session.add([click])
                clicks += 1
            }
            outcomes.append(outcome(budget, session.probability, clicks: clicks))
        }
        return (outcomes, session.probability)
    }
}
