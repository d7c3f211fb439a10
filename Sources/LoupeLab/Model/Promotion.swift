import Foundation

/// How well a new model segments the images it is judged on before it may serve.
///
/// Without held-back corrections (fewer than three corrected images) it is judged on its own
/// training images: a model that cannot segment what it learnt from is useless, and one that
/// can is the best evidence there is until validation images exist.
package struct FloorScore: Sendable, Equatable {
    package var dice: Double
    package var images: Int
    /// True for held-back corrections, false for the training images.
    package var heldBack: Bool
    /// Pixels predicted as vessel across those images: 0 is a blank mask on every one.
    package var predictedVesselPixels: Int

    var scoredOn: String {
        heldBack
            ? "validation Dice \(Self.format(dice)) on \(images) held-back correction\(images == 1 ? "" : "s")"
            : "training Dice \(Self.format(dice)) on \(images) training image\(images == 1 ? "" : "s") (none held back yet)"
    }

    static func format(_ dice: Double) -> String { String(format: "%.4f", dice) }
}

/// Whether a new model goes into service.
enum Promotion: Equatable {
    case promote(String)
    /// Below the floor every model must clear, first model included.
    case belowFloor(dice: Double, reason: String)
    /// Cleared the floor but scored below the model in service on the same images, by more
    /// than the margin.
    case reject(candidate: Double, current: Double, reason: String)
    /// Would have been promoted, but the operator pinned a model (`Workspace.pin`).
    case pinned(candidate: Double)
}

extension Workspace {
    /// The floor first: a model below `floor` Dice, or one that predicts no vessel at all,
    /// never serves. Above it, the first model serves, and a later one serves unless its Dice
    /// is lower than the current model's by more than `margin`, both scored on the held-back
    /// corrections that did not start from the current model's prediction (`judge`). With no
    /// such correction there is no fair comparison, and the model trained on more serves.
    static func promotion(_ trained: TrainingJob.TrainedModel, current: String?, floor: Double, margin: Double)
        -> Promotion
    {
        let score = trained.floorScore
        let floorText = String(format: "the floor %.2f (retrain.minValidationDice)", floor)
        if score.predictedVesselPixels == 0 {
            let on = score.heldBack ? "held-back correction" : "training image"
            return .belowFloor(dice: score.dice, reason: "predicts no vessel on its \(score.images) \(on)\(score.images == 1 ? "" : "s"), below \(floorText)")
        }
        guard score.dice >= floor else {
            return .belowFloor(dice: score.dice, reason: "\(score.scoredOn) is below \(floorText)")
        }
        guard current != nil else { return .promote("first model: \(score.scoredOn) clears \(floorText)") }
        guard let candidate = trained.candidateDice, let incumbent = trained.currentDice else {
            let none = score.heldBack
                ? "every held-back correction started from the current model's prediction, which favours it"
                : "no corrections are held back yet"
            return .promote("trained on more corrections, and no fair comparison was possible (\(none)); \(score.scoredOn) clears \(floorText)")
        }
        let count = trained.comparedOn
        let on = "\(count) held-back correction\(count == 1 ? "" : "s") that did not start from the current model's prediction"
        let scores = String(format: "Dice %.3f for the new model and %.3f for the current one", candidate, incumbent)
        if candidate >= incumbent - margin {
            let how = candidate >= incumbent ? "at least as accurate as" : "within the margin \(margin) (retrain.promotionMargin) of"
            return .promote("the new model is \(how) the current one on \(on): \(scores)")
        }
        return .reject(candidate: candidate, current: incumbent,
                       reason: "kept the current model: the new one found vessels less accurately on \(on) (\(scores), more than the margin \(margin) apart)")
    }
}
