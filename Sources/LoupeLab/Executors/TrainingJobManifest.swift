import Foundation
import LoupeLedger
import LoupeVision

/// `job.json`: what a node needs to train one run, as its TrainingStarted records it, and
/// nothing else of the lab's. The images, masks and warm-start weights it names travel beside
/// it in the job's `objects/`.
package struct TrainingJobManifest: Codable, Sendable, Equatable {
    /// Raised when a field changes meaning, so a node running an older `loupe` refuses the
    /// job instead of training something else.
    package static let currentFormat = 1

    package var formatVersion: Int
    package var run: Int
    package var upToSeq: Int
    package var configHash: String
    /// The model and training configuration, the same JSON text TrainingStarted records.
    package var config: String
    package var seed: UInt64
    /// The incumbent model a warm start continues from; nil for random initial weights.
    package var warmStart: String?
    package var trainingSet: [LabelledImage]
    package var validationSet: [LabelledImage]

    /// The plan's part of its TrainingStarted, as the daemon records it.
    package init(plan: TrainingPlan) {
        self.init(started: Workspace.trainingStarted(plan))
    }

    /// What a recorded TrainingStarted trains.
    init(started: TrainingStarted) {
        formatVersion = Self.currentFormat
        run = started.run
        upToSeq = started.upToSeq
        configHash = started.configHash
        config = started.config
        seed = started.seed
        warmStart = started.warmStart
        trainingSet = started.trainingSet
        validationSet = started.validationSet
    }

    /// Every object the training reads, once each.
    package var objects: [String] {
        let labelled = trainingSet + validationSet
        return Array(Set(labelled.flatMap { [$0.image, $0.mask] } + (warmStart.map { [$0] } ?? []))).sorted()
    }

    /// The plan this job trains, refused when job.json is of another format or its config
    /// does not hash to the recorded hash.
    func plan() throws -> TrainingPlan {
        guard formatVersion == Self.currentFormat else {
            throw TrainingJobError.unknownFormat(formatVersion, supported: Self.currentFormat)
        }
        let actual = ObjectStore.sha256(Array(config.utf8))
        guard actual == configHash else { throw TrainingJobError.configTampered(recorded: configHash, actual: actual) }
        let recorded = try JSONDecoder().decode(RecordedConfig.self, from: Data(config.utf8))
        var training = recorded.training
        training.seed = seed
        return TrainingPlan(
            run: run, upToSeq: upToSeq, training: trainingSet, validation: validationSet, warmStart: warmStart,
            model: recorded.model, config: training
        )
    }

    /// The fields in which this job is not `other`, by name: empty when it trains the same.
    func differences(from other: TrainingJobManifest) -> [String] {
        var names: [String] = []
        if formatVersion != other.formatVersion { names.append("formatVersion") }
        if run != other.run { names.append("run") }
        if upToSeq != other.upToSeq { names.append("upToSeq") }
        if config != other.config || configHash != other.configHash { names.append("config") }
        if seed != other.seed { names.append("seed") }
        if warmStart != other.warmStart { names.append("warmStart") }
        if trainingSet != other.trainingSet { names.append("trainingSet") }
        if validationSet != other.validationSet { names.append("validationSet") }
        return names
    }
}
