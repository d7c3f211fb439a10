import Foundation
import LoupeLedger
import LoupeVision

/// The result of training a recorded model again from what the log says made it.
public struct Reproduction: Sendable {
    public var model: String
    public var run: Int
    public var epochs: Int
    public var recordedThreads: Int
    public var threads: Int
    public var reproduced: String
    /// Weights that differ, and the largest difference, when the hashes differ.
    public var differingWeights: Int
    public var largestDifference: Float
    public var weightCount: Int

    public var matches: Bool { model == reproduced }
}

public enum ReproductionError: Error, CustomStringConvertible {
    case unknownModel(String)
    case ambiguous(String, Int)
    case missingRun(Int)

    public var description: String {
        switch self {
        case .unknownModel(let prefix): "no ModelTrained event names a model starting with '\(prefix)'"
        case .ambiguous(let prefix, let count): "'\(prefix)' matches \(count) models; give more of the hash"
        case .missingRun(let run): "the log has no TrainingStarted for run \(run)"
        }
    }
}

extension Workspace {
    /// Trains model `prefix` again from its run's recorded training set, configuration, seed,
    /// warm start and epoch count, on the thread count it was trained with.
    public func reproduce(model prefix: String, progress: (TrainingProgress) -> Void = { _ in }) throws -> Reproduction {
        let trained = try ledger.events(type: .modelTrained).compactMap { row -> ModelTrained? in
            if case .modelTrained(let e) = try row.decoded(), e.model.hasPrefix(prefix.lowercased()) { return e }
            return nil
        }
        guard let record = trained.first else { throw ReproductionError.unknownModel(prefix) }
        guard trained.count == 1 else { throw ReproductionError.ambiguous(prefix, trained.count) }
        let started = try ledger.events(type: .trainingStarted).compactMap { row -> TrainingStarted? in
            if case .trainingStarted(let e) = try row.decoded(), e.run == record.run { return e }
            return nil
        }
        guard let start = started.first else { throw ReproductionError.missingRun(record.run) }
        let recorded = try JSONDecoder().decode(RecordedConfig.self, from: Data(start.config.utf8))
        var config = recorded.training
        config.budget = .epochs(record.epochs)
        config.seed = start.seed
        let plan = TrainingPlan(
            run: start.run, upToSeq: start.upToSeq, training: start.trainingSet, validation: start.validationSet,
            warmStart: start.warmStart, model: recorded.model, config: config
        )
        ComputeThreads.set(record.threads)
        let result = try TrainingJob(plan: plan, objects: objects, current: nil).train(progress: progress)
        let reproduced = result.weights.encoded()
        let original = try ModelWeights(decoding: objects.read(record.model)).parameters
        var differing = 0
        var largest: Float = 0
        for (a, b) in zip(original, result.weights.parameters) where a != b {
            differing += 1
            largest = max(largest, abs(a - b))
        }
        return Reproduction(
            model: record.model, run: record.run, epochs: record.epochs, recordedThreads: record.threads,
            threads: result.threads, reproduced: ObjectStore.sha256(reproduced), differingWeights: differing,
            largestDifference: largest, weightCount: original.count
        )
    }
}
