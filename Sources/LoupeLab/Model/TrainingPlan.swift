import Foundation
import LoupeLedger
import LoupeVision

/// What the next training will learn from, decided from the log alone so that the same log
/// always gives the same plan.
package struct TrainingPlan: Sendable, Equatable {
    package var run: Int
    package var upToSeq: Int
    package var training: [LabelledImage]
    package var validation: [LabelledImage]
    package var warmStart: String?
    /// Why the run starts cold although the settings ask for a warm start.
    package var coldStart: String?
    package var model: ModelConfig
    package var config: TrainingConfig

    /// The exact model and training configuration, as recorded in TrainingStarted.
    package var configJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try! encoder.encode(RecordedConfig(model: model, training: config))
        return String(decoding: data, as: UTF8.self)
    }
}

/// The `config` of a TrainingStarted event.
package struct RecordedConfig: Codable, Sendable, Equatable {
    package var model: ModelConfig
    package var training: TrainingConfig
}

/// How many corrections the next training would add, and whether one is due.
package struct TrainingNeed: Sendable, Equatable {
    /// Corrections the next training may learn from now: accepted after the last completed
    /// training's data cut-off, unless failed trainings used up their attempts on them.
    package var newCorrections: Int
    /// Seq of the newest correction, for the quiet period.
    package var latestCorrectionSeq: Int?
    /// A run still marked running (the daemon died during it).
    package var interruptedRun: Int?
    /// The last model fell below the promotion floor: train again with a larger budget.
    package var retryBelowFloor: Bool
    /// Corrections after the last completed training's cut-off, whatever failed trainings
    /// did with them: what waits, for status, and what an operator's request may train on.
    package var untrainedCorrections: Int
    /// Failed trainings on the waiting corrections, for the retry's delay.
    package var failedRetry: FailedTrainingRetry
}

extension Workspace {
    /// Corrections not yet learnt from: accepted after the data cut-off of the last training
    /// that ended with a model. A failed training does not count them as learnt; they are
    /// trained on again as `FailedTrainingRetry` says, then only once one more correction
    /// arrives, so a training that always fails does not loop. A model below the promotion
    /// floor counts them as learnt; its retry is `retryBelowFloor`, bounded by
    /// `BudgetEscalation.maxFactor`.
    package func trainingNeed() throws -> TrainingNeed {
        let runs = try projections.runs()
        let learnt = runs.last { $0.status == "trained" }?.upToSeq ?? 0
        let seqs = try ledger.seqs(of: .correctionAccepted, after: learnt)
        let retry = FailedTrainingRetry.after(runs, newestCorrection: seqs.last)
        return TrainingNeed(
            newCorrections: retry.allowed ? seqs.count : 0, latestCorrectionSeq: seqs.last,
            interruptedRun: runs.last { $0.status == "running" }?.run,
            retryBelowFloor: try budgetEscalation().retryDue, untrainedCorrections: seqs.count, failedRetry: retry
        )
    }

    /// The plan for the next run: every corrected image with its latest mask (or its first,
    /// with `corrections.train` "first"), every `validationEvery`-th of them (by order of
    /// first correction, starting with the third) held back, warm-started from the current
    /// model if the settings say so, with a budget stretched for a cold start or escalated
    /// after models below the floor. Images a reviewer sent back, or someone flagged
    /// ungradable, are left out: their masks are not to be learnt from as they stand.
    package func planTraining() throws -> TrainingPlan {
        let masks = try correctionMasks()
        let untrusted = try untrustedImages()
        let corrected = try projections.images(state: .corrected).filter { !untrusted.contains($0.sha) }
            .compactMap { image in masks[image.sha].map { (image, $0) } }
        let ordered = corrected.sorted { $0.1.firstSeq < $1.1.firstSeq }
        var training: [LabelledImage] = []
        var validation: [LabelledImage] = []
        let every = settings.retrain.validationEvery
        for (index, (_, mask)) in ordered.enumerated() {
            let labelled = settings.corrections.train == .first ? mask.first : mask.latest
            if index % every == 2 { validation.append(labelled) } else { training.append(labelled) }
        }
        let run = (try projections.runs().last?.run ?? 0) + 1
        let (warmStart, coldStart) = try warmStart(from: try projections.currentModel())
        var config = settings.training
        config.budget = try budgetEscalation().budget(
            config.budget, coldStartFactor: warmStart == nil ? settings.retrain.coldStartFactor : 1)
        return TrainingPlan(
            run: run, upToSeq: try ledger.head().seq, training: training, validation: validation,
            warmStart: warmStart, coldStart: coldStart, model: settings.model, config: config
        )
    }

    /// Appends TrainingStarted.
    package func recordTrainingStarted(_ plan: TrainingPlan) throws {
        try appendTrainingStarted(Self.trainingStarted(plan))
    }

    /// The plan, with the kernels and thread count this process will train on.
    static func trainingStarted(_ plan: TrainingPlan) -> TrainingStarted {
        let config = plan.configJSON
        let kernel = BLASKernel.current
        return TrainingStarted(
            run: plan.run, configHash: ObjectStore.sha256(Array(config.utf8)), config: config, seed: plan.config.seed,
            warmStart: plan.warmStart, trainingSet: plan.training, validationSet: plan.validation, upToSeq: plan.upToSeq,
            blasKernel: kernel.core, blasLibrary: kernel.library, threads: ComputeThreads.count, coldStart: plan.coldStart
        )
    }

    func appendTrainingStarted(_ started: TrainingStarted) throws {
        try ledger.append(PendingEvent(
            stream: "run-\(started.run)", expected: .noStream, eventID: "run-\(started.run):started", event: .trainingStarted(started)
        ))
    }

    /// Marks a run that a killed daemon left running as aborted.
    package func abortInterruptedRun(_ run: Int, reason: String) throws {
        try ledger.append(PendingEvent(
            stream: "run-\(run)", expected: .any, eventID: "run-\(run):ended", event: .trainingAborted(TrainingEnded(run: run, reason: reason))
        ))
    }

    /// Each corrected image's first and latest masks, and the seq of its first correction.
    private func correctionMasks() throws -> [String: (firstSeq: Int, first: LabelledImage, latest: LabelledImage)] {
        var masks: [String: (firstSeq: Int, first: LabelledImage, latest: LabelledImage)] = [:]
        try ledger.forEachEvent(type: .correctionAccepted) { row in
            guard case .correctionAccepted(let e) = try row.decoded() else { return }
            let labelled = LabelledImage(image: e.image, mask: e.mask, startedFrom: e.basedOnModel)
            if let known = masks[e.image] {
                masks[e.image] = (known.firstSeq, known.first, labelled)
            } else {
                masks[e.image] = (row.seq, labelled, labelled)
            }
        }
        return masks
    }
}
