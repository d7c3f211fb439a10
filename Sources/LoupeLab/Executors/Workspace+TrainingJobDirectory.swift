import Foundation
import LoupeLedger
import LoupeVision

extension Workspace {
    /// Writes `plan` as a job directory at `directory` for `loupe job run` on a node
    /// (`TrainingJobDirectory.write`).
    package func writeTrainingJob(_ plan: TrainingPlan, into directory: String) throws {
        try TrainingJobDirectory.write(plan, from: objects, into: directory)
    }

    /// The outcome of the job at `directory`, checked before it counts
    /// (`TrainingJobDirectory.outcome`). Scores the weights as a local training does, so call
    /// it off the loop thread.
    package func readTrainingJobResult(_ directory: String, plan: TrainingPlan, current: ServingModel?) throws -> TrainingJob.Outcome {
        try TrainingJobDirectory(path: directory).outcome(plan: plan, objects: objects, current: current)
    }
}

extension TrainingJobDirectory {
    /// Writes `plan` as a job directory at `directory`, its objects taken from `objects`
    /// (`JobDirectoryWriting`). The warm start is the incumbent's weights, so the model in
    /// service needs no other place in the job.
    static func write(_ plan: TrainingPlan, from objects: ObjectStore, into directory: String) throws {
        try JobDirectoryWriting.write(directory) { temporary in
            let job = TrainingJobDirectory(path: temporary)
            let manifest = TrainingJobManifest(plan: plan)
            try JobDirectoryWriting.place(manifest.objects, from: objects, into: job.objects)
            try DurableFile.write(encoded(manifest), to: job.manifestPath)
        }
    }

    /// The outcome of this job, as `TrainingJob.run()` would have returned it, for
    /// `recordTraining`: a job that failed on its node is `.failed` with its error. A result
    /// that cannot count throws, naming what differs: a directory of another plan, objects that
    /// no longer hash to their names, a model.bin that is not the reported model, or weights
    /// whose held-back Dice, recomputed here from the lab's own images and masks (`objects`),
    /// is not the reported one.
    func outcome(plan: TrainingPlan, objects: ObjectStore, current: ServingModel?) throws -> TrainingJob.Outcome {
        let manifest = try manifest()
        let differing = manifest.differences(from: TrainingJobManifest(plan: plan))
        guard differing.isEmpty else { throw TrainingJobError.otherPlan(run: plan.run, differing: differing) }
        try verifyObjects(of: manifest)
        let result = try result()
        if let error = result.error { return .failed("the job in \(path) failed: \(error)") }
        guard let reported = result.trained else { throw TrainingJobError.emptyResult(path) }
        let bytes: [UInt8]
        do {
            bytes = try JobFile.contents(modelPath, limit: JobFile.modelLimit)
        } catch JobFileError.missing {
            throw TrainingJobError.modelMismatch(reported: reported.model, actual: "nothing (model.bin is missing)")
        }
        let sha = ObjectStore.sha256(bytes)
        guard sha == reported.model else { throw TrainingJobError.modelMismatch(reported: reported.model, actual: sha) }
        let trained = try TrainingJob(plan: plan, objects: objects, current: current).judge(
            try ModelWeights(decoding: bytes), sha: sha, epochs: reported.epochs, lossCurve: reported.lossCurve,
            threads: reported.threads, milliseconds: reported.trainingMilliseconds
        )
        guard Self.sameDice(trained.validationDice, reported.validationDice) else {
            throw TrainingJobError.diceMismatch(reported: reported.validationDice, recomputed: trained.validationDice)
        }
        do { try objects.put(bytes, sha: sha) } catch { return .unstored(trained, weights: bytes) }
        return .trained(trained)
    }

    /// The node may score on another thread count than this process: the split of rows among
    /// threads moves probabilities in their last bits (AUC on a STARE image differs at 1e-9
    /// between 1, 2 and 3 threads), which can flip a pixel lying on the threshold. A node that
    /// scored other weights or other images is off by far more. The recomputed Dice is the one
    /// recorded either way.
    static let diceTolerance = 1e-3

    static func sameDice(_ recomputed: Double?, _ reported: Double?) -> Bool {
        switch (recomputed, reported) {
        case (nil, nil): true
        case (let a?, let b?): abs(a - b) <= diceTolerance
        default: false
        }
    }
}
