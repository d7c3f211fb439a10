/// One (image, mask) pair a training used.
package struct LabelledImage: Codable, Sendable, Equatable {
    package var image: String
    package var mask: String
    /// The model whose prediction the expert corrected into `mask` (nil: drawn without one, or
    /// recorded before this was kept). Such a mask favours that model where it was left as is,
    /// so the promotion rule does not compare that model on it.
    package var startedFrom: String?

    package init(image: String, mask: String, startedFrom: String? = nil) {
        self.image = image
        self.mask = mask
        self.startedFrom = startedFrom
    }
}

/// Everything needed to train the same weights again: `loupe reproduce` reads it back.
///
/// `blasKernel` (OpenBLAS's core name), `blasLibrary` (its version and build string) and
/// `threads` say what computed the weights, so that `reproduce` can name what differs; they
/// are nil in logs written before they were recorded.
package struct TrainingStarted: Codable, Sendable, Equatable {
    package var run: Int
    package var configHash: String
    package var config: String
    package var seed: UInt64
    package var warmStart: String?
    package var trainingSet: [LabelledImage]
    package var validationSet: [LabelledImage]
    package var upToSeq: Int
    package var blasKernel: String?
    package var blasLibrary: String?
    package var threads: Int?
    /// Why a training the settings would warm-start starts from random weights instead (the
    /// serving model's architecture is not the configured one). Absent in older logs.
    package var coldStart: String?
    /// Where the training runs: "slurm" for a job handed to the lab's cluster; absent for a
    /// training in the daemon's process.
    package var executor: String?
    /// Slurm's id of the job that trains the run, given by sbatch at its submission: the
    /// daemon follows, adopts after a restart, and cancels the job by it.
    package var slurmJob: String?
    /// The job directory the run's inputs were written to and its result comes back in.
    package var jobDirectory: String?

    package init(
        run: Int, configHash: String, config: String, seed: UInt64, warmStart: String?,
        trainingSet: [LabelledImage], validationSet: [LabelledImage], upToSeq: Int,
        blasKernel: String? = nil, blasLibrary: String? = nil, threads: Int? = nil, coldStart: String? = nil
    ) {
        self.run = run
        self.configHash = configHash
        self.config = config
        self.seed = seed
        self.warmStart = warmStart
        self.trainingSet = trainingSet
        self.validationSet = validationSet
        self.upToSeq = upToSeq
        self.blasKernel = blasKernel
        self.blasLibrary = blasLibrary
        self.threads = threads
        self.coldStart = coldStart
    }
}

/// `threads` is recorded because the weights are bitwise reproducible only with the same
/// OpenBLAS thread count.
package struct ModelTrained: Codable, Sendable, Equatable {
    package var run: Int
    package var model: String
    package var epochs: Int
    package var lossCurve: [Double]
    package var validationDice: Double?
    package var threads: Int
    package var ms: Int

    package init(run: Int, model: String, epochs: Int, lossCurve: [Double], validationDice: Double?, threads: Int, ms: Int) {
        self.run = run
        self.model = model
        self.epochs = epochs
        self.lossCurve = lossCurve
        self.validationDice = validationDice
        self.threads = threads
        self.ms = ms
    }
}

/// A training that ended without a model: `aborted` when the daemon stopped it.
package struct TrainingEnded: Codable, Sendable, Equatable {
    package var run: Int
    package var reason: String

    package init(run: Int, reason: String) {
        self.run = run
        self.reason = reason
    }
}

package struct ModelPromoted: Codable, Sendable, Equatable {
    package var model: String
    package var replaced: String?
    package var why: String

    package init(model: String, replaced: String?, why: String) {
        self.model = model
        self.replaced = replaced
        self.why = why
    }
}

/// A trained model kept out of service: below the floor every model must clear to serve
/// (`floor` and `reason` say which), or below the model in service on the same images.
/// `floor` and `reason` are absent in logs written before the floor existed.
package struct ModelRejected: Codable, Sendable, Equatable {
    package var model: String
    /// The Dice that decided: on the held-back corrections, or without them on the training images.
    package var candidateDice: Double
    /// Nil when no model was in service to compare with.
    package var currentDice: Double?
    /// The `retrain.minValidationDice` the model did not clear; nil when it lost to the current model.
    package var floor: Double?
    package var reason: String?

    package init(model: String, candidateDice: Double, currentDice: Double?, floor: Double? = nil, reason: String? = nil) {
        self.model = model
        self.candidateDice = candidateDice
        self.currentDice = currentDice
        self.floor = floor
        self.reason = reason
    }
}
