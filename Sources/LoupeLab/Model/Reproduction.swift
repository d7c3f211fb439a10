import Foundation
import LoupeLedger
import LoupeVision

/// The result of training a recorded model again from what the log says made it.
package struct Reproduction: Sendable {
    package var model: String
    package var run: Int
    package var epochs: Int
    package var recordedThreads: Int
    package var threads: Int
    /// The kernels TrainingStarted recorded: nil in a log written before they were recorded.
    package var recordedKernel: BLASKernel?
    package var kernel: BLASKernel
    package var reproduced: String
    /// Weights that differ, and the largest difference, when the hashes differ.
    package var differingWeights: Int
    package var largestDifference: Float
    package var weightCount: Int

    package var matches: Bool { model == reproduced }

    /// What computed these weights differently from the recorded run, in the order kernel,
    /// library, threads. Kernel and library are compared only when the log recorded them.
    package var differences: [ComputeDifference] {
        var differences: [ComputeDifference] = []
        if let recordedKernel {
            if recordedKernel.core.lowercased() != kernel.core.lowercased() { differences.append(.kernel) }
            if recordedKernel.libraryBuild != kernel.libraryBuild { differences.append(.library) }
        }
        if recordedThreads != threads { differences.append(.threads) }
        return differences
    }

    /// What differs from the recorded run besides the log, each with both values, or that
    /// nothing does: what a person reads when the hashes differ.
    package var cause: String {
        guard let recordedKernel else {
            let threads = differences.contains(.threads) ? "threads differ (\(recordedThreads), now \(self.threads))" : "threads match"
            return "run \(run) recorded no kernel or library (its log predates them), so they cannot be compared; \(threads)"
        }
        if differences.isEmpty { return "kernel, library and threads all match the recorded run's, so the difference is elsewhere" }
        let named = differences.map { difference in
            switch difference {
            case .kernel: "kernel (\(recordedKernel.core), now \(kernel.core))"
            case .library: "library (\(recordedKernel.libraryBuild), now \(kernel.libraryBuild))"
            case .threads: "threads (\(recordedThreads), now \(threads))"
            }
        }
        var cause = "differs from the recorded run in: " + named.joined(separator: ", ")
        if differences.contains(.kernel) {
            cause += "; with OPENBLAS_CORETYPE=\(recordedKernel.core) set, reproduce runs on the recorded kernel if this CPU has it"
        }
        return cause
    }
}

/// One of the things besides the log that decides a training's weights bit for bit.
package enum ComputeDifference: String, Sendable {
    case kernel, library, threads
}

package enum ReproductionError: Error, CustomStringConvertible {
    case unknownModel(String)
    case ambiguous(String, Int)
    case missingRun(Int)

    package var description: String {
        switch self {
        case .unknownModel(let prefix): "no ModelTrained event names a model starting with '\(prefix)'"
        case .ambiguous(let prefix, let count): "'\(prefix)' matches \(count) models; give more of the hash"
        case .missingRun(let run): "the log has no TrainingStarted for run \(run)"
        }
    }
}

extension Workspace {
    /// Trains model `prefix` again from its run's recorded training set, configuration, seed,
    /// warm start and epoch count, on the thread count it was trained with. The kernels are
    /// this process's: OpenBLAS chose them when it loaded.
    package func reproduce(model prefix: String, progress: (TrainingProgress) -> Void = { _ in }) throws -> Reproduction {
        let trained = try ledger.events(type: .modelTrained).compactMap { row -> ModelTrained? in
            if case .modelTrained(let e) = try row.decoded(), e.model.hasPrefix(prefix.lowercased()) { return e }
            return nil
        }
        guard let record = trained.first else { throw ReproductionError.unknownModel(prefix) }
        guard trained.count == 1 else { throw ReproductionError.ambiguous(prefix, trained.count) }
        guard let start = try trainingStarted(run: record.run) else { throw ReproductionError.missingRun(record.run) }
        let recorded = try JSONDecoder().decode(RecordedConfig.self, from: Data(start.config.utf8))
        var config = recorded.training
        config.budget = .epochs(record.epochs)
        config.seed = start.seed
        let plan = TrainingPlan(
            run: start.run, upToSeq: start.upToSeq, training: start.trainingSet, validation: start.validationSet,
            warmStart: start.warmStart, model: recorded.model, config: config
        )
        let result = try TrainingJob(plan: plan, objects: objects, current: nil)
            .train(threads: record.threads, progress: progress)
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
            threads: result.threads, recordedKernel: start.blasKernel.map { BLASKernel(core: $0, library: start.blasLibrary ?? "") },
            kernel: .current, reproduced: ObjectStore.sha256(reproduced), differingWeights: differing,
            largestDifference: largest, weightCount: original.count
        )
    }
}
