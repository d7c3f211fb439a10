import Foundation
import LoupeLedger
import LoupeVision
import Testing
@testable import LoupeLab

@Suite struct TrainingPlanTests {
    /// A lab with `count` images, of which the first `corrected` have an expert's mask.
    static func lab(images count: Int, corrected: Int) throws -> (Workspace, [String]) {
        let (_, lab) = try makeLab()
        var shas: [String] = []
        for index in 0..<count {
            let bytes = try ImageCodec.encodePNG(fundus(seed: index))
            _ = try lab.ingestImage(at: try drop(bytes, as: "im\(index).png", into: lab.inbox))
            shas.append(ObjectStore.sha256(bytes))
        }
        for index in 0..<corrected {
            _ = try lab.ingestCorrection(at: try drop(try ImageCodec.encodePNG(mask(seed: index)), as: "im\(index).png", into: lab.corrections))
        }
        return (lab, shas)
    }

    @Test func everyFifthCorrectionStartingWithTheThirdIsHeldBack() throws {
        let (lab, shas) = try Self.lab(images: 8, corrected: 8)
        let plan = try lab.planTraining()
        #expect(plan.validation.map(\.image) == [shas[2], shas[7]])
        #expect(plan.training.map(\.image) == [shas[0], shas[1], shas[3], shas[4], shas[5], shas[6]])
        #expect(plan.run == 1)
        #expect(plan.warmStart == nil)
        #expect(plan.upToSeq == (try lab.ledger.head().seq))
    }

    /// The promotion rule leaves out of the comparison a held-back mask made from the current
    /// model's prediction: the plan must know which model each mask started from.
    @Test func thePlanKnowsWhichModelEachMaskStartedFrom() throws {
        let (lab, shas) = try Self.lab(images: 4, corrected: 2)
        for index in 2..<4 {
            let predicted = try lab.objects.put(try ImageCodec.encodePNG(mask(seed: index)))
            try lab.ledger.append(PendingEvent(stream: "image-\(shas[index])", eventID: "p\(index)", event: .predictionMade(
                PredictionMade(image: shas[index], model: "m\(index)", mask: predicted, uncertainty: 0.2, vesselFraction: 0.1, ms: 1))))
            _ = try lab.ingestCorrection(at: try drop(try ImageCodec.encodePNG(mask(seed: index)), as: "im\(index).png", into: lab.corrections))
        }
        let plan = try lab.planTraining()
        #expect(plan.validation.map(\.startedFrom) == ["m2"])
        #expect(plan.training.map(\.startedFrom) == [nil, nil, "m3"])
        let encoded = String(decoding: try JSONEncoder().encode(plan.training[0]), as: UTF8.self)
        #expect(!encoded.contains("startedFrom"), "a mask drawn without a prediction is recorded as before")
    }

    @Test func correctionsCountAsLearntOnlyOnceATrainingEndsWithAModel() throws {
        let (lab, _) = try Self.lab(images: 3, corrected: 2)
        #expect(try lab.trainingNeed().newCorrections == 2)
        let plan = try lab.planTraining()
        try lab.recordTrainingStarted(plan)
        #expect(try lab.trainingNeed().newCorrections == 2, "a running training has not learnt them yet")
        #expect(try lab.trainingNeed().interruptedRun == 1)
        try lab.abortInterruptedRun(1, reason: "killed")
        #expect(try lab.trainingNeed().newCorrections == 2, "an aborted training is retried")

        let second = try lab.planTraining()
        #expect(second.run == 2)
        try lab.recordTrainingStarted(second)
        try lab.recordTraining(.failed("out of memory"), plan: second, current: nil)
        #expect(try lab.trainingNeed().newCorrections == 2, "a failed training's corrections wait for its retry")
        for run in 3...FailedTrainingRetry.maxAttempts + 1 {
            let retry = try lab.planTraining()
            #expect(retry.run == run)
            try lab.recordTrainingStarted(retry)
            try lab.recordTraining(.failed("out of memory"), plan: retry, current: nil)
        }
        #expect(try lab.trainingNeed().newCorrections == 0, "with its attempts used up, training waits for a new correction")
        #expect(try lab.trainingNeed().untrainedCorrections == 2)

        _ = try lab.ingestCorrection(at: try drop(try ImageCodec.encodePNG(mask(seed: 2)), as: "im2.png", into: lab.corrections))
        #expect(try lab.trainingNeed().newCorrections == 3)
        let third = try lab.planTraining()
        try lab.recordTrainingStarted(third)
        #expect(try lab.recordTraining(.trained(Self.trained("m3", dice: 0.5)), plan: third, current: nil) == "m3")
        #expect(try lab.trainingNeed().newCorrections == 0)
        #expect(try lab.projections.currentModel()?.sha == "m3")
    }

    /// A model as a training job would report it: `dice` on `images` held-back corrections
    /// (or, with `heldBack` false, on its training images), compared with the current model's.
    static func trained(
        _ model: String, epochs: Int = 1, dice: Double, current: Double? = nil, images: Int = 1, heldBack: Bool = true,
        predicted: Int = 100
    ) -> TrainingJob.TrainedModel {
        TrainingJob.TrainedModel(
            model: model, epochs: epochs, lossCurve: [1], threads: 1, milliseconds: 5,
            candidateDice: heldBack && current != nil ? dice : nil, currentDice: heldBack ? current : nil,
            comparedOn: heldBack && current != nil ? images : 0, floorScore: FloorScore(dice: dice, images: images, heldBack: heldBack, predictedVesselPixels: predicted)
        )
    }

    /// The floor comes first, first model included; above it a model must not score below the
    /// current one on the same held-back corrections. Before the floor, a first model was
    /// always promoted ("first model"), Dice 0.000 included.
    @Test(arguments: [
        (trained("m", dice: 0.5, images: 2), nil, Promotion.promote(
            "first model: validation Dice 0.5000 on 2 held-back corrections clears the floor 0.20 (retrain.minValidationDice)")),
        (trained("m", dice: 0.0, images: 2), nil, .belowFloor(dice: 0,
            reason: "validation Dice 0.0000 on 2 held-back corrections is below the floor 0.20 (retrain.minValidationDice)")),
        (trained("m", dice: 0.1999), "old", .belowFloor(dice: 0.1999,
            reason: "validation Dice 0.1999 on 1 held-back correction is below the floor 0.20 (retrain.minValidationDice)")),
        (trained("m", dice: 0.2), nil, .promote(
            "first model: validation Dice 0.2000 on 1 held-back correction clears the floor 0.20 (retrain.minValidationDice)")),
        (trained("m", dice: 0.9, predicted: 0), nil, .belowFloor(dice: 0.9,
            reason: "predicts no vessel on its 1 held-back correction, below the floor 0.20 (retrain.minValidationDice)")),
        (trained("m", dice: 0.1, images: 2, heldBack: false), nil, .belowFloor(dice: 0.1,
            reason: "training Dice 0.1000 on 2 training images (none held back yet) is below the floor 0.20 (retrain.minValidationDice)")),
        (trained("m", dice: 0.6, images: 2, heldBack: false), nil, .promote(
            "first model: training Dice 0.6000 on 2 training images (none held back yet) clears the floor 0.20 (retrain.minValidationDice)")),
        (trained("m", dice: 0.6, images: 2, heldBack: false), "old", .promote(
            "trained on more corrections, and no fair comparison was possible (no corrections are held back yet); training Dice 0.6000 on 2 training images (none held back yet) clears the floor 0.20 (retrain.minValidationDice)")),
        (trained("m", dice: 0.6, images: 2), "old", .promote(
            "trained on more corrections, and no fair comparison was possible (every held-back correction started from the current model's prediction, which favours it); validation Dice 0.6000 on 2 held-back corrections clears the floor 0.20 (retrain.minValidationDice)")),
        (trained("m", dice: 0.69, current: 0.71, images: 2), "old", .reject(candidate: 0.69, current: 0.71,
            reason: "kept the current model: the new one found vessels less accurately on 2 held-back corrections that did not start from the current model's prediction (Dice 0.690 for the new model and 0.710 for the current one, more than the margin 0.01 apart)")),
        (trained("m", dice: 0.70, current: 0.705, images: 1), "old", .promote(
            "the new model is within the margin 0.01 (retrain.promotionMargin) of the current one on 1 held-back correction that did not start from the current model's prediction: Dice 0.700 for the new model and 0.705 for the current one")),
        (trained("m", dice: 0.71, current: 0.71, images: 2), "old", .promote(
            "the new model is at least as accurate as the current one on 2 held-back corrections that did not start from the current model's prediction: Dice 0.710 for the new model and 0.710 for the current one")),
    ] as [(TrainingJob.TrainedModel, String?, Promotion)])
    func promotion(_ trained: TrainingJob.TrainedModel, current: String?, expected: Promotion) {
        #expect(Workspace.promotion(trained, current: current, floor: 0.2, margin: 0.01) == expected)
    }

    /// A model below the floor is trained again at once, each time with twice the epochs of
    /// the run before, up to 8x the first; at the cap it waits for corrections. A promotion
    /// ends the escalation.
    @Test func aModelBelowTheFloorIsRetriedWithTwiceTheEpochsUpToEightTimesTheFirst() throws {
        let (lab, _) = try Self.lab(images: 3, corrected: 3)
        var budgets: [TrainingConfig.Budget] = []
        var retries: [Bool] = []
        for run in 1...5 {
            let plan = try lab.planTraining()
            budgets.append(plan.config.budget)
            try lab.recordTrainingStarted(plan)
            let epochs = if case .epochs(let n) = plan.config.budget { n } else { 3 }
            #expect(try lab.recordTraining(.trained(Self.trained("weak\(run)", epochs: epochs, dice: 0.05)), plan: plan, current: nil) == nil)
            retries.append(try lab.trainingNeed().retryBelowFloor)
            #expect(try lab.trainingNeed().newCorrections == 0)
        }
        #expect(budgets == [.minutes(5), .epochs(6), .epochs(12), .epochs(24), .epochs(24)])
        #expect(retries == [true, true, true, false, false])
        #expect(try lab.projections.currentModel() == nil)

        guard case .trainingStarted(let started) = try lab.ledger.events(type: .trainingStarted).last?.decoded(),
              case .modelRejected(let rejected) = try lab.ledger.events(type: .modelRejected).last?.decoded() else {
            Issue.record("missing events")
            return
        }
        #expect(try JSONDecoder().decode(RecordedConfig.self, from: Data(started.config.utf8)).training.budget == .epochs(24))
        #expect(rejected == ModelRejected(
            model: "weak5", candidateDice: 0.05, currentDice: nil, floor: 0.2,
            reason: "validation Dice 0.0500 on 1 held-back correction is below the floor 0.20 (retrain.minValidationDice)"
        ))

        let plan = try lab.planTraining()
        try lab.recordTrainingStarted(plan)
        #expect(try lab.recordTraining(.trained(Self.trained("useful", epochs: 24, dice: 0.5)), plan: plan, current: nil) == "useful")
        #expect(try lab.planTraining().config.budget == .minutes(5))
        #expect(try lab.trainingNeed().retryBelowFloor == false)
    }

    /// A training from random weights runs `retrain.coldStartFactor` times the budget; one
    /// warm-started from the model in service runs the budget as configured; a below-floor
    /// retry doubles the epochs the cold run reached, without the factor again.
    @Test func aColdStartRunsTheColdStartFactorTimesTheBudget() throws {
        let (made, _) = try Self.lab(images: 4, corrected: 3)
        var settings = made.settings
        settings.retrain.coldStartFactor = 3
        settings.training.budget = .epochs(4)
        try made.writeSettings(settings)
        let lab = try Workspace(at: made.root)
        let first = try lab.planTraining()
        #expect(first.warmStart == nil)
        #expect(first.config.budget == .epochs(12))
        try lab.recordTrainingStarted(first)
        #expect(try lab.recordTraining(.trained(Self.trained("weak", epochs: 12, dice: 0.05)), plan: first, current: nil) == nil)
        let retry = try lab.planTraining()
        #expect(retry.config.budget == .epochs(24))
        try lab.recordTrainingStarted(retry)
        #expect(try lab.recordTraining(.trained(Self.trained("m", epochs: 24, dice: 0.5)), plan: retry, current: nil) == "m")
        let warm = try lab.planTraining()
        #expect(warm.warmStart == "m")
        #expect(warm.config.budget == .epochs(4))

        settings.retrain.warmStart = false
        settings.training.budget = .minutes(2.5)
        try lab.writeSettings(settings)
        #expect(try Workspace(at: lab.root).planTraining().config.budget == .minutes(7.5))
        #expect(TrainingConfig.Budget.epochs(Int.max / 2).scaled(by: 3) == .epochs(Int.max))
    }

    /// An aborted retry is tried again at the same budget; a failed one waits for corrections,
    /// as any failed training does, so a failure does not loop.
    @Test func anAbortedRetryIsRetriedAndAFailedOneIsNot() throws {
        let (lab, _) = try Self.lab(images: 3, corrected: 3)
        let first = try lab.planTraining()
        try lab.recordTrainingStarted(first)
        try lab.recordTraining(.trained(Self.trained("weak", epochs: 4, dice: 0.01)), plan: first, current: nil)

        let aborted = try lab.planTraining()
        try lab.recordTrainingStarted(aborted)
        try lab.recordTraining(.aborted, plan: aborted, current: nil)
        #expect(try lab.trainingNeed().retryBelowFloor)

        let failed = try lab.planTraining()
        #expect(failed.config.budget == .epochs(8))
        try lab.recordTrainingStarted(failed)
        try lab.recordTraining(.failed("out of memory"), plan: failed, current: nil)
        #expect(try lab.trainingNeed().retryBelowFloor == false)
        #expect(try lab.planTraining().config.budget == .epochs(8))
    }

    /// With fewer than three corrected images nothing is held back, and the floor is checked
    /// on the images the model learnt from; from the third on, on the held-back ones.
    @Test(arguments: [(2, false, 2), (3, true, 1)])
    func theFloorIsJudgedOnHeldBackCorrectionsOrElseOnTheTrainingImages(corrected: Int, heldBack: Bool, images: Int) throws {
        let (lab, _) = try Self.lab(images: 3, corrected: corrected)
        var settings = lab.settings
        settings.model = ModelConfig(channels: [4, 8], bottleneck: 8)
        settings.training = TrainingConfig(budget: .epochs(1), batchSize: 4, augment: AugmentationPipeline(steps: []))
        try lab.writeSettings(settings)
        let reopened = try Workspace(at: lab.root)
        let job = reopened.trainingJob(try reopened.planTraining(), current: nil)
        guard case .trained(let trained) = job.run() else {
            Issue.record("training did not end with a model")
            return
        }
        #expect(trained.floorScore.heldBack == heldBack)
        #expect(trained.floorScore.images == images)
        #expect(trained.candidateDice == nil && trained.comparedOn == 0, "no current model to compare with")
        #expect(trained.floorScore.dice > 0)
    }

    @Test func aRejectedModelLeavesTheCurrentOneInService() throws {
        let (lab, _) = try Self.lab(images: 3, corrected: 3)
        for (run, model, candidate) in [(1, "first", 0.6), (2, "worse", 0.4)] {
            let plan = try lab.planTraining()
            #expect(plan.run == run)
            try lab.recordTrainingStarted(plan)
            let current = try lab.projections.currentModel()?.sha
            let trained = Self.trained(model, dice: candidate, current: current == nil ? nil : 0.6)
            try lab.recordTraining(.trained(trained), plan: plan, current: current)
        }
        #expect(try lab.projections.models().map(\.status) == ["current", "rejected"])
        #expect(try lab.ledger.events().last?.type == "ModelRejected")
    }
}

@Suite struct AnnotationQueueTests {
    @Test func strategiesOrderTheWaitingImages() throws {
        let (lab, shas) = try TrainingPlanTests.lab(images: 4, corrected: 1)
        for (index, uncertainty) in [(1, 0.2), (3, 0.9)] {
            try lab.recordPrediction(PredictionMade(image: shas[index], model: "m", mask: "x", uncertainty: uncertainty, vesselFraction: 0.1, ms: 1))
        }
        #expect(try lab.annotationQueue(strategy: .uncertainty).map(\.sha) == [shas[3], shas[1], shas[2]])
        #expect(try lab.annotationQueue(strategy: .fifo).map(\.sha) == [shas[1], shas[2], shas[3]])
        let shuffled = try lab.annotationQueue(strategy: .random(seed: 7)).map(\.sha)
        #expect(Set(shuffled) == Set([shas[1], shas[2], shas[3]]))
        #expect(try lab.annotationQueue(strategy: .random(seed: 7)).map(\.sha) == shuffled, "the same seed gives the same order")
        #expect(try lab.predictionBacklog(model: "m").map(\.sha) == [shas[2]])
        #expect(try lab.predictionBacklog(model: "next", head: 0).map(\.sha) == [shas[2], shas[3], shas[1]], "never predicted first, then most uncertain")
    }

    /// After a promotion the sweep takes the images in the order annotators will open them.
    @Test func repredictionFollowsTheLabsQueueStrategy() throws {
        let (lab, shas) = try TrainingPlanTests.lab(images: 5, corrected: 1)
        for (index, uncertainty) in [(1, 0.2), (2, 0.9), (4, 0.5)] {
            try lab.recordPrediction(PredictionMade(image: shas[index], model: "m", mask: "x", uncertainty: uncertainty, vesselFraction: 0.1, ms: 1))
        }
        #expect(try lab.predictionBacklog(model: "next", head: 0).map(\.sha) == [shas[3], shas[2], shas[4], shas[1]])
        #expect(try lab.predictionBacklog(model: "next", strategy: .fifo, head: 0).map(\.sha) == [shas[3], shas[1], shas[2], shas[4]])
        let queued = try lab.annotationQueue(strategy: .random(seed: 3)).map(\.sha).filter { $0 != shas[3] }
        #expect(try lab.predictionBacklog(model: "next", strategy: .random(seed: 3), head: 0).map(\.sha) == [shas[3]] + queued)
    }

    /// The queue's head comes before the never-predicted images: after a promotion in a large
    /// lab, what annotators open next carries the new model's prediction first.
    @Test func repredictionTakesTheQueuesHeadBeforeNeverPredictedImages() throws {
        let (lab, shas) = try TrainingPlanTests.lab(images: 6, corrected: 1)
        for (index, uncertainty) in [(1, 0.2), (2, 0.9), (4, 0.5)] {
            try lab.recordPrediction(PredictionMade(image: shas[index], model: "old", mask: "x", uncertainty: uncertainty, vesselFraction: 0.1, ms: 1))
        }
        try lab.recordPrediction(PredictionMade(image: shas[2], model: "new", mask: "y", uncertainty: 0.7, vesselFraction: 0.1, ms: 1))
        // Queue: 2 (new, 0.7), 4 (old, 0.5), 1 (old, 0.2), then never predicted 3 and 5.
        #expect(try lab.annotationQueue().map(\.sha) == [shas[2], shas[4], shas[1], shas[3], shas[5]])
        #expect(try lab.predictionBacklog(model: "new", head: 2).map(\.sha) == [shas[4], shas[3], shas[5], shas[1]])
        #expect(try lab.predictionBacklog(model: "new").map(\.sha) == [shas[4], shas[1], shas[3], shas[5]], "a lab smaller than the head: the queue's order")
        #expect(Workspace.queueHead == 20)
    }
}
