import Foundation
import LoupeLedger
import LoupeVision

/// The heavy part of a training: load the labelled images, train, score the new model and
/// the current one on the same held-back corrections, store the weights. Touches no ledger,
/// so it runs on a worker thread while the loop keeps ingesting.
package struct TrainingJob: Sendable {
    package let plan: TrainingPlan
    let objects: ObjectStore
    /// The model in service, scored on the same validation set for the promotion decision.
    let current: ServingModel?

    package enum Outcome: Sendable, Equatable {
        case trained(TrainedModel)
        /// Trained, but its weights could not be stored (a full disk): they travel with the
        /// outcome, and `recordTraining` stores them, so a retry after the disk has room does
        /// not train again.
        case unstored(TrainedModel, weights: [UInt8])
        case failed(String)
        case aborted
    }

    package struct TrainedModel: Sendable, Equatable {
        package var model: String
        package var epochs: Int
        package var lossCurve: [Double]
        package var threads: Int
        package var milliseconds: Int
        /// Both scored by the same code on the same images: the held-back corrections that did
        /// not start from the current model's prediction; nil when there are none.
        package var candidateDice: Double?
        package var currentDice: Double?
        /// How many held-back corrections the two were compared on.
        package var comparedOn: Int
        /// What the promotion floor is checked against.
        package var floorScore: FloorScore

        /// Dice on every held-back correction, as ModelTrained records it; nil while none is held back.
        package var validationDice: Double? { floorScore.heldBack ? floorScore.dice : nil }
    }

    /// Reports every batch to `monitor` and stops at the next batch once it is asked to.
    package func run(monitor: TrainingMonitor = TrainingMonitor()) -> Outcome {
        do {
            let samples = try plan.training.map(load)
            let result = try train(on: samples, progress: monitor.report, shouldStop: { monitor.stopRequested })
            let weights = result.weights.encoded()
            let trained = try judge(
                result.weights, sha: ObjectStore.sha256(weights), epochs: result.epochs, lossCurve: result.lossCurve.map(Double.init),
                threads: result.threads, milliseconds: result.milliseconds, training: samples
            )
            do { try objects.put(weights, sha: trained.model) } catch { return .unstored(trained, weights: weights) }
            return .trained(trained)
        } catch TrainingError.cancelled {
            return .aborted
        } catch {
            return .failed("\(error)")
        }
    }

    /// The model as the promotion decision sees it: `weights` and the current model scored by
    /// the same code on the held-back corrections, or `weights` alone on the training images
    /// (`training`, loaded again when nil) while none are held back. A job trained elsewhere
    /// is judged here too, so its scores cannot differ from a local training's.
    func judge(
        _ weights: ModelWeights, sha: String, epochs: Int, lossCurve: [Double], threads: Int, milliseconds: Int,
        training: [TrainingSample]? = nil
    ) throws -> TrainedModel {
        let validation = try plan.validation.map(load)
        let judged = try validation.isEmpty ? training ?? plan.training.map(load) : validation
        let candidate = Trainer.evaluate(weights, on: judged)
        let floorScore = FloorScore(
            dice: candidate.dice, images: judged.count, heldBack: !validation.isEmpty,
            predictedVesselPixels: candidate.truePositives + candidate.falsePositives
        )
        // A correction made from the current model's prediction favours it wherever the expert
        // left that prediction as it was: comparing on it would keep the current model for that
        // bias alone.
        let independent = zip(plan.validation, validation).filter { $0.0.startedFrom != current?.sha }.map(\.1)
        let compared = current == nil || independent.isEmpty ? nil : independent
        return TrainedModel(
            model: sha, epochs: epochs, lossCurve: lossCurve, threads: threads, milliseconds: milliseconds,
            candidateDice: compared.map { independent.count == validation.count ? candidate.dice : Trainer.evaluate(weights, on: $0).dice },
            currentDice: compared.flatMap { samples in current.map { Trainer.evaluate($0.weights, on: samples).dice } },
            comparedOn: compared?.count ?? 0, floorScore: floorScore
        )
    }

    /// Only the training: the weights from the plan's images, masks, warm start and seed, on
    /// `threads` workers (a recorded run's count, not this process's).
    func train(threads: Int, progress: (TrainingProgress) -> Void = { _ in }) throws -> TrainingResult {
        try train(on: plan.training.map(load), threads: threads, progress: progress)
    }

    private func train(
        on samples: [TrainingSample], threads: Int = ComputeThreads.count, progress: (TrainingProgress) -> Void,
        shouldStop: () -> Bool = { false }
    ) throws -> TrainingResult {
        let warm = try plan.warmStart.map { try ModelWeights(decoding: objects.read($0)) }
        return try Trainer.train(
            model: plan.model, config: plan.config, samples: samples, validation: [], warmStart: warm,
            threads: threads, progress: progress, shouldStop: shouldStop
        )
    }

    func load(_ labelled: LabelledImage) throws -> TrainingSample {
        TrainingSample(
            image: try ImageCodec.decode(objects.read(labelled.image)),
            mask: try ImageCodec.decode(objects.read(labelled.mask))
        )
    }
}

extension Workspace {
    package func trainingJob(_ plan: TrainingPlan, current: ServingModel?) -> TrainingJob {
        TrainingJob(plan: plan, objects: objects, current: current)
    }

    /// Appends how a training ended and, for a new model, whether it goes into service
    /// (`promotion`): promoted, or rejected with the scores and, below the floor, the reason.
    /// Returns the promoted model, if any. Stores weights the job could not store first; a
    /// full disk or ledger throws (`TransientFault`) with nothing appended, and the same call
    /// may be made again.
    @discardableResult
    package func recordTraining(_ outcome: TrainingJob.Outcome, plan: TrainingPlan, current: String?) throws -> String? {
        let stream = "run-\(plan.run)"
        switch outcome {
        case .unstored(let trained, let weights):
            try objects.put(weights, sha: trained.model)
            return try recordTraining(.trained(trained), plan: plan, current: current)
        case .aborted:
            try abortInterruptedRun(plan.run, reason: "stopped by the daemon's shutdown")
            return nil
        case .failed(let reason):
            try ledger.append(PendingEvent(
                stream: stream, eventID: "run-\(plan.run):ended", event: .trainingFailed(TrainingEnded(run: plan.run, reason: reason))
            ))
            return nil
        case .trained(let trained):
            var events = [PendingEvent(stream: stream, eventID: "run-\(plan.run):ended", event: .modelTrained(ModelTrained(
                run: plan.run, model: trained.model, epochs: trained.epochs, lossCurve: trained.lossCurve,
                validationDice: trained.validationDice, threads: trained.threads, ms: trained.milliseconds
            )))]
            let floor = settings.retrain.minValidationDice
            var decision = Self.promotion(trained, current: current, floor: floor, margin: settings.retrain.promotionMargin)
            // A pinned model stays in service: a model that would have been promoted is
            // rejected instead (one below the floor keeps that reason, for the escalation).
            if case .promote = decision, try projections.controls().pinnedModel != nil {
                decision = .pinned(candidate: trained.candidateDice ?? trained.floorScore.dice)
            }
            let modelStream = "model-\(trained.model)"
            switch decision {
            case .promote(let why):
                // The model serving now, which an operator's roll-back during the training may
                // have made another than the `current` it was scored against.
                let replaced = try projections.currentModel()?.sha ?? current
                events.append(PendingEvent(stream: modelStream, eventID: "run-\(plan.run):promoted", event: .modelPromoted(
                    ModelPromoted(model: trained.model, replaced: replaced, why: why))))
            case .belowFloor(let dice, let reason):
                events.append(PendingEvent(stream: modelStream, eventID: "run-\(plan.run):rejected", event: .modelRejected(
                    ModelRejected(model: trained.model, candidateDice: dice, currentDice: trained.currentDice, floor: floor, reason: reason))))
            case .reject(let candidate, let incumbent, let reason):
                events.append(PendingEvent(stream: modelStream, eventID: "run-\(plan.run):rejected", event: .modelRejected(
                    ModelRejected(model: trained.model, candidateDice: candidate, currentDice: incumbent, reason: reason))))
            case .pinned(let candidate):
                events.append(PendingEvent(stream: modelStream, eventID: "run-\(plan.run):rejected", event: .modelRejected(
                    ModelRejected(model: trained.model, candidateDice: candidate, currentDice: trained.currentDice, reason: Self.pinnedReason))))
            }
            try ledger.append(events)
            if case .promote = decision { return trained.model }
            return nil
        }
    }

    /// ModelRejected's reason for a model trained while another was pinned.
    package static let pinnedReason = "a model is pinned"
}
