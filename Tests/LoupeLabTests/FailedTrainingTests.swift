import Foundation
import LoupeLedger
import LoupeVision
import Testing
@testable import LoupeLab

/// Issue 21, item 7: a failed training (after `model.channels` changed with `warmStart` on) was
/// neither retried nor cold-started, and status said no correction waited.
@Suite struct FailedTrainingTests {
    /// A lab with three images, two corrected, and a model small enough to train at once.
    static func tinyLab(channels: [Int] = [4, 8]) throws -> Workspace {
        let (lab, _) = try TrainingPlanTests.lab(images: 3, corrected: 2)
        try Self.configure(lab, channels: channels)
        return try Workspace(at: lab.root)
    }

    static func configure(_ lab: Workspace, channels: [Int]) throws {
        var settings = lab.settings
        settings.model = ModelConfig(channels: channels, bottleneck: 8)
        settings.training = TrainingConfig(budget: .epochs(1), batchSize: 4, augment: AugmentationPipeline(steps: []))
        settings.retrain.retryFailedSeconds = 60
        try lab.writeSettings(settings)
    }

    /// Trains the lab's first model for real and puts it in service, whatever a one-epoch
    /// model scores: these tests are about what the next training starts from.
    static func serveFirstModel(_ lab: Workspace) throws -> String {
        let plan = try lab.planTraining()
        try lab.recordTrainingStarted(plan)
        guard case .trained(var trained) = lab.trainingJob(plan, current: nil).run() else { throw FirstModel.notTrained }
        trained.floorScore = FloorScore(dice: 0.5, images: 2, heldBack: false, predictedVesselPixels: 100)
        return try #require(try lab.recordTraining(.trained(trained), plan: plan, current: nil))
    }

    enum FirstModel: Error { case notTrained }

    @Test func aWarmStartTheNewArchitectureCannotUseFallsBackToAColdStartThatMakesAModel() throws {
        let lab = try Self.tinyLab()
        let firstModel = try Self.serveFirstModel(lab)

        try Self.configure(lab, channels: [4, 8, 8])
        let changed = try Workspace(at: lab.root)
        try ControlTests.correct(changed, 2)
        let plan = try changed.planTraining()
        #expect(plan.warmStart == nil)
        let reason = try #require(plan.coldStart)
        #expect(reason.contains("another architecture (channels [4, 8]"), "\(reason)")
        #expect(reason.contains("than loupe.json's model (channels [4, 8, 8]"), "\(reason)")
        try changed.recordTrainingStarted(plan)
        let outcome = changed.trainingJob(plan, current: try changed.servingModel()).run()
        guard case .trained(let trained) = outcome else {
            Issue.record("the cold start did not make a model: \(outcome)")
            return
        }
        try changed.recordTraining(outcome, plan: plan, current: firstModel)
        #expect(try changed.models().map(\.sha).contains(trained.model))
        #expect(try changed.trainingNeed().untrainedCorrections == 0)
        let started = try changed.events(after: 0).last { $0.type == "TrainingStarted" }
        #expect(started?.summary.contains("cold start: the serving model") == true, "\(started?.summary ?? "none")")
        #expect(try changed.replayDifferences() == [])
    }

    @Test func aWarmStartFromTheSameArchitectureStaysWarm() throws {
        let lab = try Self.tinyLab()
        let model = try Self.serveFirstModel(lab)
        try ControlTests.correct(lab, 2)
        let plan = try lab.planTraining()
        #expect(plan.warmStart == model)
        #expect(plan.coldStart == nil)
    }

    /// The stated policy: the same corrections are tried `FailedTrainingRetry.maxAttempts`
    /// times in all, `retryFailedSeconds` after the first failure and twice that after the
    /// second; then only a new correction trains. Status counts them as waiting throughout.
    @Test func aFailedTrainingsCorrectionsWaitAndAreRetriedABoundedNumberOfTimes() throws {
        let lab = try Self.tinyLab()
        let policy = lab.settings.retrain
        func next(sinceFailure seconds: Double) throws -> NextWork {
            policy.nextWork(try lab.workSituation(
                model: nil, jobRunning: false, secondsSinceLastCorrection: 600, secondsSinceLastFailure: seconds))
        }
        var delays: [NextWork] = []
        for attempt in 1...FailedTrainingRetry.maxAttempts {
            #expect(try next(sinceFailure: 1000) == .train, "attempt \(attempt) is due")
            let plan = try lab.planTraining()
            try lab.recordTrainingStarted(plan)
            try lab.recordTraining(.failed("warm-start weights have a different architecture"), plan: plan, current: nil)
            #expect(try lab.status().correctionsAwaitingTraining == 2, "after failure \(attempt)")
            #expect(try lab.trainingNeed().failedRetry.failures == attempt)
            delays.append(try next(sinceFailure: 0))
        }
        #expect(delays == [.wait(seconds: 60), .wait(seconds: 120), .idle], "then no attempt is left")
        #expect(try next(sinceFailure: 1000) == .idle, "however long it has been")

        try ControlTests.correct(lab, 2)
        #expect(try lab.trainingNeed().newCorrections == 3)
        #expect(try lab.trainingNeed().failedRetry.failures == 0, "a new correction gets new attempts")
        #expect(try next(sinceFailure: 0) == .train)
    }
}
