import Foundation
import LoupeLedger
import LoupeVision

extension Workspace {
    /// Writes `plan` as a job directory at `directory` (see `TrainingJobDirectory`) for
    /// `loupe job run` on a node. The directory is built under a hidden temporary name beside
    /// it and renamed into place, so whoever finds `directory` finds it whole; an existing
    /// one is refused, never overwritten. The warm start is the incumbent's weights, so the
    /// model in service needs no other place in the job.
    package func writeTrainingJob(_ plan: TrainingPlan, into directory: String) throws {
        let manager = FileManager.default
        guard !manager.fileExists(atPath: directory) else { throw TrainingJobError.directoryExists(directory) }
        let parent = (directory as NSString).deletingLastPathComponent
        let temporary = "\(parent)/.\((directory as NSString).lastPathComponent).\(getpid()).tmp"
        try? manager.removeItem(atPath: temporary)
        do {
            let job = TrainingJobDirectory(path: temporary)
            let manifest = TrainingJobManifest(plan: plan)
            var folders: Set<String> = []
            for sha in manifest.objects {
                let target = job.objects.path(of: sha)
                let folder = (target as NSString).deletingLastPathComponent
                if folders.insert(folder).inserted { try manager.createDirectory(atPath: folder, withIntermediateDirectories: true) }
                try place(sha, at: target)
            }
            for folder in folders { try DurableFile.syncFolder(folder) }
            try DurableFile.write(TrainingJobDirectory.encoded(manifest), to: job.manifestPath)
            guard rename(temporary, directory) == 0 else { throw DurableFile.posixError("rename \(temporary) to \(directory)") }
        } catch {
            try? manager.removeItem(atPath: temporary)
            throw error
        }
        try DurableFile.syncFolder(parent)
    }

    /// A hard link to the lab's object when the job folder is on the same filesystem, else a
    /// copy: a shared filesystem for the nodes is usually another one than the lab's.
    private func place(_ sha: String, at target: String) throws {
        guard objects.contains(sha) else { throw LedgerError.objectMissing(sha) }
        let source = objects.path(of: sha)
        if link(source, target) == 0 { return }
        guard [EXDEV, EPERM, EMLINK, EOPNOTSUPP].contains(errno) else { throw DurableFile.posixError("link \(source) to \(target)") }
        try DurableFile.write(objects.read(sha), to: target, syncFolder: false)
    }

    /// The outcome of the job at `directory`, as `trainingJob(plan, current:).run()` would
    /// have returned it, for `recordTraining`: a job that failed on its node is `.failed` with
    /// its error. A result that cannot count throws, naming what differs: a directory of
    /// another plan, objects that no longer hash to their names, a model.bin that is not the
    /// reported model, or weights whose held-back Dice, recomputed here from the lab's own
    /// images and masks, is not the reported one. Scores the weights as a local training
    /// does, so call it off the loop thread.
    package func readTrainingJobResult(_ directory: String, plan: TrainingPlan, current: ServingModel?) throws -> TrainingJob.Outcome {
        let job = TrainingJobDirectory(path: directory)
        let manifest = try job.manifest()
        let differing = manifest.differences(from: TrainingJobManifest(plan: plan))
        guard differing.isEmpty else { throw TrainingJobError.otherPlan(run: plan.run, differing: differing) }
        try job.verifyObjects(of: manifest)
        let result = try job.result()
        if let error = result.error { return .failed("the job in \(directory) failed: \(error)") }
        guard let reported = result.trained else { throw TrainingJobError.emptyResult(directory) }
        guard let bytes = FileManager.default.contents(atPath: job.modelPath).map(Array.init) else {
            throw TrainingJobError.modelMismatch(reported: reported.model, actual: "nothing (model.bin is missing)")
        }
        let sha = ObjectStore.sha256(bytes)
        guard sha == reported.model else { throw TrainingJobError.modelMismatch(reported: reported.model, actual: sha) }
        let trained = try trainingJob(plan, current: current).judge(
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
