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
        #expect(try lab.trainingNeed().newCorrections == 0, "a failed training waits for a new correction")

        _ = try lab.ingestCorrection(at: try drop(try ImageCodec.encodePNG(mask(seed: 2)), as: "im2.png", into: lab.corrections))
        #expect(try lab.trainingNeed().newCorrections == 3)
        let third = try lab.planTraining()
        try lab.recordTrainingStarted(third)
        let trained = TrainingJob.TrainedModel(model: "m3", epochs: 1, lossCurve: [1], threads: 1, milliseconds: 5, candidateDice: 0.5, currentDice: nil)
        #expect(try lab.recordTraining(.trained(trained), plan: third, current: nil) == "m3")
        #expect(try lab.trainingNeed().newCorrections == 0)
        #expect(try lab.projections.currentModel()?.sha == "m3")
    }

    @Test func promotionNeedsADiceNotBelowTheCurrentModelsOnTheSameImages() {
        func trained(_ candidate: Double?, _ current: Double?) -> TrainingJob.TrainedModel {
            TrainingJob.TrainedModel(model: "new", epochs: 1, lossCurve: [], threads: 1, milliseconds: 1, candidateDice: candidate, currentDice: current)
        }
        #expect(Workspace.promotion(trained(0.1, nil), current: nil, validationCount: 0) == .promote("first model"))
        #expect(Workspace.promotion(trained(nil, nil), current: "old", validationCount: 0) == .promote("no held-back corrections yet to compare on"))
        #expect(Workspace.promotion(trained(0.70, 0.71), current: "old", validationCount: 2) == .reject(candidate: 0.70, current: 0.71))
        guard case .promote(let why) = Workspace.promotion(trained(0.71, 0.71), current: "old", validationCount: 2) else {
            Issue.record("a tie must promote")
            return
        }
        #expect(why == "validation Dice 0.7100 vs 0.7100 for the current model on 2 held-back corrections")
    }

    @Test func aRejectedModelLeavesTheCurrentOneInService() throws {
        let (lab, _) = try Self.lab(images: 3, corrected: 3)
        for (run, model, candidate) in [(1, "first", 0.6), (2, "worse", 0.4)] {
            let plan = try lab.planTraining()
            #expect(plan.run == run)
            try lab.recordTrainingStarted(plan)
            let current = try lab.projections.currentModel()?.sha
            let trained = TrainingJob.TrainedModel(model: model, epochs: 1, lossCurve: [1], threads: 1, milliseconds: 5,
                                                   candidateDice: candidate, currentDice: current == nil ? nil : 0.6)
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
        #expect(try lab.predictionBacklog(model: "next").map(\.sha) == [shas[2], shas[3], shas[1]], "never predicted first, then most uncertain")
    }
}
