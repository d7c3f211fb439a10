import Foundation
import LoupeLedger

extension Workspace {
    /// The lab's trainer when its executor is Slurm; nil when trainings run in the daemon's
    /// process. Slurm's commands are looked for on `searchPath`.
    package func slurmCluster(searchPath: String = ProcessInfo.processInfo.environment["PATH"] ?? "") -> SlurmCluster? {
        guard case .slurm(let slurm) = settings.executor else { return nil }
        return SlurmCluster(
            settings: slurm, commands: SlurmCommands(searchPath: searchPath), objects: objects,
            labKey: String(ObjectStore.sha256(Array(root.utf8)).prefix(12)), predictionsFolder: predictions,
            writeProbabilityMaps: settings.writeProbabilityMaps
        )
    }

    /// Appends the run's one TrainingStarted, once Slurm took its job: with the executor, the
    /// job's id and its directory, so that a restarted daemon adopts the job from the log. The
    /// threads are the job's CPUs; the kernels are the node's, unknown here.
    package func recordTrainingSubmitted(_ training: SlurmTraining) throws {
        guard case .slurm(let slurm) = settings.executor else { return }
        var started = Self.trainingStarted(training.plan)
        started.executor = ExecutorSettings.Kind.slurm.rawValue
        started.slurmJob = training.slurmJob
        started.jobDirectory = training.directory
        started.threads = slurm.cpusPerTask
        started.blasKernel = nil
        started.blasLibrary = nil
        try appendTrainingStarted(started)
    }

    /// The Slurm training a daemon left running, read back from the log: the run still marked
    /// running, when its TrainingStarted names a Slurm job.
    package func slurmTrainingInFlight() throws -> SlurmTraining? {
        guard let run = try projections.runs().last(where: { $0.status == "running" })?.run,
              let started = try trainingStarted(run: run), let job = started.slurmJob, let directory = started.jobDirectory
        else { return nil }
        var plan = try TrainingJobManifest(started: started).plan()
        plan.coldStart = started.coldStart
        return SlurmTraining(plan: plan, slurmJob: job, directory: directory)
    }

    /// A run left running that no one will follow: trained in a process that died, or on a
    /// Slurm job while the executor is now local. A Slurm run under a Slurm executor is adopted instead.
    func orphanedRun() throws -> (run: Int, reason: String)? {
        guard let run = try trainingNeed().interruptedRun else { return nil }
        guard let job = try trainingStarted(run: run)?.slurmJob else {
            return (run, "the daemon ended during training; resumed by a restart")
        }
        if case .slurm = settings.executor { return nil }
        return (run, "it ran as Slurm job \(job), but executor.kind is now local: no daemon follows it")
    }

    /// Ends a queued Slurm training that a training on newer corrections replaces; its job was
    /// cancelled first.
    package func recordTrainingSuperseded(_ training: SlurmTraining) throws {
        try abortInterruptedRun(training.run, reason: "superseded by a training on newer corrections: Slurm job "
            + "\(training.slurmJob) was still queued, and was cancelled with scancel")
    }
}
