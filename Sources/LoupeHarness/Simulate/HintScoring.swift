import LoupeLab
import LoupeVision

/// The simulated expert's hints on the lab's images: for an image predicted by a model, what
/// correcting it with up to each budget of clicks would cost (`HintedExpert`), the model
/// answering the clicks. A model without guidance takes no clicks: every budget then costs
/// what the polyline alone does.
final class HintScoring {
    let budgets: [Int]
    private let dataset: SimulationDataset
    private var predictors: [String: Predictor] = [:]

    init(budgets: [Int], dataset: SimulationDataset) {
        self.budgets = budgets
        self.dataset = dataset
    }

    func outcomes(in lab: Workspace, image: String, id: String, model: String) throws -> [HintedExpert.Outcome] {
        let predictor = try predictor(model, in: lab)
        let (label, fov) = try dataset.truth(id)
        let picture = try lab.decodedObject(image)
        let probability = predictor.predict(image: picture, fov: fov).probability
        guard predictor.weights.config.guidance else {
            let polyline = HintedExpert(budgets: [0]).correct(
                image: picture, fov: fov, label: label, predictor: predictor, probability: probability).outcomes[0]
            return budgets.map { var same = polyline; same.budget = $0; return same }
        }
        return HintedExpert(budgets: budgets).correct(
            image: picture, fov: fov, label: label, predictor: predictor, probability: probability).outcomes
    }

    private func predictor(_ model: String, in lab: Workspace) throws -> Predictor {
        if let known = predictors[model] { return known }
        let loaded = Predictor(weights: try ModelWeights(decoding: lab.objectBytes(model)))
        predictors[model] = loaded
        return loaded
    }
}

/// One hint budget's cost pooled over a set of images: clicks, strokes and minutes per image,
/// and the centerline share left to draw (summed lengths).
package struct PooledHints: Codable, Equatable {
    var budget: Int
    var images: Int
    var clicks: Double
    var centerlineEffort: Double
    var strokes: Double
    var minutes: Double

    /// One row per budget of `outcomes` (one list per image, budgets in the same order).
    static func pool(_ outcomes: [[HintedExpert.Outcome]]) -> [PooledHints] {
        guard let first = outcomes.first else { return [] }
        let count = Double(outcomes.count)
        return first.indices.map { index in
            let column = outcomes.map { $0[index] }
            let effort = column.map(\.effort).reduce(CenterlineEffort.zero, +)
            return PooledHints(
                budget: first[index].budget, images: outcomes.count,
                clicks: Double(column.map(\.clicks).reduce(0, +)) / count, centerlineEffort: effort.share,
                strokes: Double(effort.strokes) / count, minutes: column.map(\.minutes).reduce(0, +) / count)
        }
    }
}
