import Foundation
import LoupeLedger
import LoupeVision

/// What `loupe job run` does on a node: trains the run a job directory describes from the
/// directory alone, without a lab, and reports in the same directory.
package enum TrainingJobWorker {
    /// Trains on `SLURM_CPUS_PER_TASK` threads when given (`cpusPerTask`), else on all cores;
    /// writes `model.bin`, then `result.json`, each by temporary file and rename. Any failure,
    /// a tampered object included, is written to `result.json` as its error instead; the
    /// returned result says which. Throws only when result.json itself cannot be written.
    package static func run(
        directory: String, cpusPerTask: String?, progress: (TrainingProgress) -> Void = { _ in }
    ) throws -> TrainingJobResult {
        let started = ContinuousClock.now
        let job = TrainingJobDirectory(path: directory)
        var result = TrainingJobResult(formatVersion: TrainingJobManifest.currentFormat, totalMilliseconds: 0)
        do {
            if let cpusPerTask { ComputeThreads.set(try threads(cpusPerTask)) }
            let manifest = try job.manifest()
            try job.verifyObjects(of: manifest)
            let plan = try manifest.plan()
            let training = TrainingJob(plan: plan, objects: job.objects, current: nil)
            let trained = try training.train(threads: ComputeThreads.count, progress: progress)
            let weights = trained.weights.encoded()
            let validation = try plan.validation.map(training.load)
            try DurableFile.write(weights, to: job.modelPath)
            result.trained = TrainingJobResult.Trained(
                model: ObjectStore.sha256(weights), epochs: trained.epochs, lossCurve: trained.lossCurve.map(Double.init),
                validationDice: validation.isEmpty ? nil : Trainer.evaluate(trained.weights, on: validation).dice,
                validationImages: validation.count, threads: trained.threads, trainingMilliseconds: trained.milliseconds
            )
        } catch {
            result.error = "\(error)"
        }
        result.totalMilliseconds = Int((ContinuousClock.now - started) / .milliseconds(1))
        try job.write(result)
        return result
    }

    static func threads(_ cpusPerTask: String) throws -> Int {
        guard let count = Int(cpusPerTask.trimmingCharacters(in: .whitespaces)), count >= 1 else {
            throw TrainingJobError.badCPUsPerTask(cpusPerTask)
        }
        return count
    }
}
