/// Why a hint was not answered. Nothing is recorded for a hint, so none of these changed anything.
package enum HintError: Error, Equatable, CustomStringConvertible {
    case noModel
    case noGuidance(model: String)
    /// The serving model has not recorded a prediction of the image: hints refine one.
    case noPrediction(image: String, model: String)
    /// The clicks were made on another model's answers than the one serving now.
    case modelChanged(asked: String, serving: String)
    case badClicks(String)

    package var description: String {
        switch self {
        case .noModel:
            "no model is serving yet: hints need one, trained once enough corrections arrive"
        case .noGuidance(let model):
            "the serving model \(model.prefix(12)) was trained without guidance and cannot take hints: set model.guidance to true in loupe.json (\"model\": {\"guidance\": true}); the next training makes a model that does"
        case .noPrediction(let image, let model):
            "model \(model.prefix(12)) has not predicted image \(image.prefix(12)) yet: open its prediction first, hints refine it"
        case .modelChanged(let asked, let serving):
            "the clicks were made on model \(asked.prefix(12)), but model \(serving.prefix(12)) serves now: save or reload the image to hint with the new model"
        case .badClicks(let reason):
            reason
        }
    }
}
