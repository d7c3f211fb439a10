import Foundation
import LoupeLedger
import LoupeVision

/// The heavy part of a training: load the labelled images, train, score the new model and
/// the current one on the same held-back corrections, store the weights. Touches no ledger,
/// so it runs on a worker thread while the loop keeps ingesting.
public struct TrainingJob: Sendable {
    public let plan: TrainingPlan
    let objects: ObjectStore
    /// The model in service, scored on the same validation set for the promotion decision.
    let current: ServingModel?

    public enum Outcome: Sendable, Equatable {
        case trained(TrainedModel)
        case failed(String)
        case aborted
    }

    public struct TrainedModel: Sendable, Equatable {
        public var model: String
        public var epochs: Int
        public var lossCurve: [Double]
        public var threads: Int
        public var milliseconds: Int
        /// Both scored by the same code on the same images; nil without a validation set.
        public var candidateDice: Double?
        public var currentDice: Double?
    }

    /// Reports every batch to `monitor` and stops at the next batch once it is asked to.
    public func run(monitor: TrainingMonitor = TrainingMonitor()) -> Outcome {
        do {
            let result = try train(progress: monitor.report, shouldStop: { monitor.stopRequested })
            let validation = try plan.validation.map(load)
            let model = try objects.put(result.weights.encoded())
            var candidateDice: Double?
            var currentDice: Double?
            if !validation.isEmpty {
                candidateDice = Trainer.evaluate(result.weights, on: validation).dice
                if let current {
                    currentDice = Trainer.evaluate(current.weights, on: validation).dice
                }
            }
            return .trained(TrainedModel(
                model: model, epochs: result.epochs, lossCurve: result.lossCurve.map(Double.init), threads: result.threads,
                milliseconds: result.milliseconds, candidateDice: candidateDice, currentDice: currentDice
            ))
        } catch TrainingError.cancelled {
            return .aborted
        } catch {
            return .failed("\(error)")
        }
    }

    /// Only the training: the weights from the plan's images, masks, warm start and seed.
    func train(progress: (TrainingProgress) -> Void = { _ in }, shouldStop: () -> Bool = { false }) throws -> TrainingResult {
        let samples = try plan.training.map(load)
        let warm = try plan.warmStart.map { try ModelWeights(decoding: objects.read($0)) }
        return try Trainer.train(
            model: plan.model, config: plan.config, samples: samples, validation: [], warmStart: warm,
            progress: progress, shouldStop: shouldStop
        )
    }

    private func load(_ labelled: LabelledImage) throws -> TrainingSample {
        TrainingSample(
            image: try ImageCodec.decode(objects.read(labelled.image)),
            mask: try ImageCodec.decode(objects.read(labelled.mask))
        )
    }
}

extension Workspace {
    public func trainingJob(_ plan: TrainingPlan, current: ServingModel?) -> TrainingJob {
        TrainingJob(plan: plan, objects: objects, current: current)
    }

    /// Appends how a training ended and, for a new model, whether it goes into service:
    /// promoted when its validation Dice is not below the current model's on the same images
    /// (the first model always), otherwise rejected with both scores.
    /// Returns the promoted model, if any.
    @discardableResult
    public func recordTraining(_ outcome: TrainingJob.Outcome, plan: TrainingPlan, current: String?) throws -> String? {
        let stream = "run-\(plan.run)"
        switch outcome {
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
                validationDice: trained.candidateDice, threads: trained.threads, ms: trained.milliseconds
            )))]
            let decision = Self.promotion(trained, current: current, validationCount: plan.validation.count)
            let modelStream = "model-\(trained.model)"
            switch decision {
            case .promote(let why):
                events.append(PendingEvent(stream: modelStream, eventID: "run-\(plan.run):promoted", event: .modelPromoted(
                    ModelPromoted(model: trained.model, replaced: current, why: why))))
            case .reject(let candidate, let incumbent):
                events.append(PendingEvent(stream: modelStream, eventID: "run-\(plan.run):rejected", event: .modelRejected(
                    ModelRejected(model: trained.model, candidateDice: candidate, currentDice: incumbent))))
            }
            try ledger.append(events)
            if case .promote = decision { return trained.model }
            return nil
        }
    }

    enum Promotion: Equatable {
        case promote(String)
        case reject(candidate: Double, current: Double)
    }

    static func promotion(_ trained: TrainingJob.TrainedModel, current: String?, validationCount: Int) -> Promotion {
        guard current != nil else { return .promote("first model") }
        guard let candidate = trained.candidateDice, let incumbent = trained.currentDice else {
            return .promote("no held-back corrections yet to compare on")
        }
        let scores = String(format: "validation Dice %.4f vs %.4f for the current model on %d held-back correction%@",
                            candidate, incumbent, validationCount, validationCount == 1 ? "" : "s")
        return candidate >= incumbent ? .promote(scores) : .reject(candidate: candidate, current: incumbent)
    }
}
