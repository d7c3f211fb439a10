import Foundation
import LoupeLedger
import LoupeVision
import Testing
@testable import LoupeLab

/// Operator actions (request, pause, resume, pin, unpin, roll back), checked through the
/// scheduling rule the daemon uses: `workSituation` then `nextWork`.
@Suite struct ControlTests {
    static let policy = RetrainPolicy()

    /// A training run that ends with `model`, scored `dice` against `current` on held-back images.
    static func train(_ lab: Workspace, _ model: String, dice: Double, current: Double? = nil) throws -> String? {
        let plan = try lab.planTraining()
        try lab.recordTrainingStarted(plan)
        return try lab.recordTraining(
            .trained(TrainingPlanTests.trained(model, dice: dice, current: current)), plan: plan, current: lab.currentModel()?.sha)
    }

    static func correct(_ lab: Workspace, _ index: Int) throws {
        _ = try lab.ingestCorrection(at: try drop(try ImageCodec.encodePNG(mask(seed: index)), as: "im\(index).png", into: lab.corrections))
    }

    static func next(_ lab: Workspace, quiet: Double = 60) throws -> NextWork {
        policy.nextWork(try lab.workSituation(model: lab.currentModel()?.sha, jobRunning: false, secondsSinceLastCorrection: quiet))
    }

    @Test func whilePausedNoTrainingStartsButPredictionsGoOn() throws {
        let (lab, shas) = try TrainingPlanTests.lab(images: 5, corrected: 2)
        #expect(try Self.train(lab, "m1", dice: 0.5) == "m1")
        try Self.correct(lab, 2)
        try Self.correct(lab, 3)
        #expect(try Self.next(lab) == .train)

        let seq = try lab.pauseTraining(by: "ana")
        #expect(seq == (try lab.headSeq()))
        #expect(try lab.controls() == TrainingControls(paused: true, pinnedModel: nil, trainingRequested: false))
        #expect(try Self.next(lab) == .predict(image: shas[4]))
        try lab.requestTraining(by: "ana")
        #expect(try Self.next(lab) == .predict(image: shas[4]), "a request waits while paused")

        try lab.resumeTraining(by: nil)
        #expect(try lab.controls() == TrainingControls(paused: false, pinnedModel: nil, trainingRequested: true))
        #expect(try Self.next(lab) == .train)
        let summaries = try lab.events(type: .trainingPaused).map(\.summary) + lab.events(type: .trainingResumed).map(\.summary)
        #expect(summaries == ["training paused by ana", "training resumed"])
        #expect(try lab.replayDifferences() == [])
    }

    @Test func aRequestTrainsOneCorrectionAtOnceAndIsAnsweredByTheTrainingStart() throws {
        let (lab, _) = try TrainingPlanTests.lab(images: 3, corrected: 1)
        #expect(try Self.next(lab, quiet: 0) == .idle, "one correction is below retrain.minNewCorrections")
        try lab.requestTraining(by: "ana")
        #expect(try lab.controls().trainingRequested)
        #expect(try Self.next(lab, quiet: 0) == .train, "no minimum, no quiet period")

        let plan = try lab.planTraining()
        try lab.recordTrainingStarted(plan)
        #expect(try lab.controls().trainingRequested == false)
        try lab.recordTraining(.trained(TrainingPlanTests.trained("m1", dice: 0.5)), plan: plan, current: nil)

        try lab.requestTraining(by: nil)
        #expect(try lab.controls().trainingRequested, "the request stands")
        #expect(try Self.next(lab, quiet: 0) != .train, "with every correction trained on, a request trains nothing")
        try Self.correct(lab, 1)
        #expect(try Self.next(lab, quiet: 0) == .train, "the standing request trains the next correction")
        #expect(try lab.replayDifferences() == [])
    }

    /// Failed trainings that used up their attempts hold `newCorrections` at 0 so they do not
    /// loop; an operator's request retries them once more.
    @Test func aRequestRetriesAFailedTraining() throws {
        let (lab, _) = try TrainingPlanTests.lab(images: 3, corrected: 2)
        for _ in 1...FailedTrainingRetry.maxAttempts {
            let plan = try lab.planTraining()
            try lab.recordTrainingStarted(plan)
            try lab.recordTraining(.failed("out of memory"), plan: plan, current: nil)
        }
        #expect(try Self.next(lab) == .idle)
        try lab.requestTraining(by: nil)
        #expect(try Self.next(lab) == .train)
    }

    @Test func aPinnedModelServesAndKeepsServingUntilUnpinned() throws {
        let (lab, _) = try TrainingPlanTests.lab(images: 5, corrected: 2)
        #expect(try Self.train(lab, "m1", dice: 0.5) == "m1")
        try Self.correct(lab, 2)
        #expect(try Self.train(lab, "m2", dice: 0.6, current: 0.5) == "m2")

        let seq = try lab.pin(model: "m1", by: "ana")
        #expect(seq == (try lab.headSeq()))
        #expect(try lab.currentModel()?.sha == "m1")
        #expect(try lab.controls().pinnedModel == "m1")
        let tail = try lab.events(after: seq - 2)
        #expect(tail.map(\.type) == ["ModelPinned", "ModelPromoted"])
        #expect(tail.map(\.summary) == ["model m1 pinned by ana", "model m1 replaces m2: pinned by ana"])

        try Self.correct(lab, 3)
        try Self.correct(lab, 4)
        #expect(try Self.next(lab) == .train, "trainings still run while pinned")
        #expect(try Self.train(lab, "m3", dice: 0.9, current: 0.5) == nil)
        guard case .modelRejected(let rejected) = try lab.events(type: .modelRejected).last?.decoded() else {
            Issue.record("no rejection"); return
        }
        #expect(rejected.model == "m3")
        #expect(rejected.reason == "a model is pinned")
        #expect(rejected.floor == nil)
        #expect(try lab.currentModel()?.sha == "m1")

        #expect(throws: ControlError.pinned("m1")) { try lab.rollBack(to: "m2", by: nil) }
        #expect(try lab.pin(model: "m1", by: nil) == (try lab.headSeq()), "pinning the serving model promotes nothing")
        #expect(try lab.events(type: .modelPromoted).count == 3)

        try lab.unpin(by: "ana")
        #expect(try lab.controls().pinnedModel == nil)
        #expect(try lab.currentModel()?.sha == "m1", "the pinned model serves on until another is promoted")
        #expect(throws: ControlError.nothingPinned) { try lab.unpin(by: nil) }
        #expect(try lab.replayDifferences() == [])
    }

    @Test func rollBackServesAnEarlierModelAndRefusesOthers() throws {
        let (lab, _) = try TrainingPlanTests.lab(images: 5, corrected: 2)
        #expect(try Self.train(lab, "m1", dice: 0.5) == "m1")
        try Self.correct(lab, 2)
        #expect(try Self.train(lab, "m2", dice: 0.6, current: 0.5) == "m2")
        try Self.correct(lab, 3)
        #expect(try Self.train(lab, "m3", dice: 0.05) == nil, "below the floor")

        #expect(throws: ControlError.unknownModel("m9")) { try lab.rollBack(to: "m9", by: nil) }
        #expect(throws: ControlError.alreadyServing("m2")) { try lab.rollBack(to: "m2", by: nil) }
        let floor = #expect(throws: ControlError.self) { try lab.rollBack(to: "m3", by: nil) }
        guard case .belowFloor(let model, _) = floor else { Issue.record("\(String(describing: floor))"); return }
        #expect(model == "m3")
        #expect(throws: ControlError.self) { try lab.pin(model: "m3", by: nil) }

        let seq = try lab.rollBack(to: "m1", by: "ana")
        #expect(try lab.currentModel()?.sha == "m1")
        let row = try #require(try lab.events(after: seq - 1).first)
        guard case .modelPromoted(let promoted) = try row.decoded() else { Issue.record("\(row)"); return }
        #expect(promoted == ModelPromoted(model: "m1", replaced: "m2", why: "rolled back by ana"))
        #expect(try lab.models().map(\.status) == ["current", "retired", "rejected"])
        #expect(try lab.replayDifferences() == [])
    }

    @Test func aModelPromotedAfterARollBackDuringItsTrainingReplacesTheModelServingThen() throws {
        let (lab, _) = try TrainingPlanTests.lab(images: 5, corrected: 2)
        #expect(try Self.train(lab, "m1", dice: 0.5) == "m1")
        try Self.correct(lab, 2)
        #expect(try Self.train(lab, "m2", dice: 0.6, current: 0.5) == "m2")
        try Self.correct(lab, 3)
        let plan = try lab.planTraining()
        try lab.recordTrainingStarted(plan)
        try lab.rollBack(to: "m1", by: "ana")
        let trained = TrainingPlanTests.trained("m3", dice: 0.7, current: 0.6)
        #expect(try lab.recordTraining(.trained(trained), plan: plan, current: "m2") == "m3")
        guard case .modelPromoted(let promoted) = try lab.events(type: .modelPromoted).last?.decoded() else { Issue.record("none"); return }
        #expect(promoted.model == "m3" && promoted.replaced == "m1")
        #expect(try lab.replayDifferences() == [])
    }

    @Test func aModelIsNamedByAUniqueHexPrefix() throws {
        let (lab, _) = try TrainingPlanTests.lab(images: 3, corrected: 2)
        let a = String(repeating: "a", count: 64), b = "aaaaaaaab" + String(repeating: "0", count: 55)
        #expect(try Self.train(lab, a, dice: 0.5) == a)
        try Self.correct(lab, 2)
        #expect(try Self.train(lab, b, dice: 0.6, current: 0.5) == b)
        #expect(throws: ControlError.unknownModel("aaaaaaa"), "prefixes are 8 hex digits at least") { try lab.rollBack(to: "aaaaaaa", by: nil) }
        #expect(throws: ControlError.ambiguousModel("aaaaaaaa", [a, b])) { try lab.rollBack(to: "aaaaaaaa", by: nil) }
        try lab.rollBack(to: "AAAAAAAAA", by: nil)
        #expect(try lab.currentModel()?.sha == a)
    }

    /// The backlog is "images the serving model has not predicted": after a roll-back the
    /// earlier model predicts again the images the later one predicted last, and each such
    /// prediction is a new event that moves the image back to it.
    @Test func afterARollBackTheServingModelPredictsAgain() throws {
        let (lab, shas) = try TrainingPlanTests.lab(images: 3, corrected: 1)
        #expect(try Self.train(lab, "m1", dice: 0.5) == "m1")
        for model in ["m1", "m2"] {
            if model == "m2" {
                try Self.correct(lab, 1)
                #expect(try Self.train(lab, "m2", dice: 0.6, current: 0.5) == "m2")
            }
            for image in try lab.predictionBacklog(model: model) { try Self.predict(lab, image.sha, by: model) }
        }
        #expect(try lab.images().map(\.predictionModel) == [nil, "m1", "m2"])
        #expect(try Self.next(lab, quiet: 0) == .idle)

        try lab.rollBack(to: "m1", by: nil)
        #expect(try Self.next(lab, quiet: 0) == .predict(image: shas[2]))
        let appended = try Self.predict(lab, shas[2], by: "m1")
        #expect(appended.duplicate == false)
        #expect(try lab.images().first { $0.sha == shas[2] }?.predictionModel == "m1")
        #expect(try Self.predict(lab, shas[2], by: "m1").duplicate, "recorded twice, it is one event")
        #expect(try Self.next(lab, quiet: 0) == .idle)
        #expect(try lab.replayDifferences() == [])
    }

    @discardableResult
    static func predict(_ lab: Workspace, _ image: String, by model: String) throws -> Appended {
        let stored = try lab.objects.put(try ImageCodec.encodePNG(mask(seed: 3)))
        return try lab.recordPrediction(PredictionMade(image: image, model: model, mask: stored, uncertainty: 0.1, vesselFraction: 0.1, ms: 1))
    }
}
