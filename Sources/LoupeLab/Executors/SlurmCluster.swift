import Foundation
import LoupeLedger

/// The lab's Slurm cluster, for its trainings: writes a run's job directory, submits it with
/// `sbatch`, follows it with `squeue` (and `sacct` where the cluster keeps accounting),
/// cancels it with `scancel`, and reads its result back, checked. Holds no ledger: the daemon
/// runs these on its thread pool, since every one of them waits on a program or the disk,
/// and records what they return on the loop (`Workspace.recordTrainingSubmitted`).
package struct SlurmCluster: Sendable {
    let settings: SlurmExecutorSettings
    let commands: SlurmCommands
    let objects: ObjectStore
    /// Sets this lab's jobs and folders apart from other labs' on the same cluster and share.
    let labKey: String
    /// Where a sweep's masks go, as a prediction made here writes them (`PredictionJob`).
    let predictionsFolder: String
    let writeProbabilityMaps: Bool

    func directory(run: Int) -> String { "\(settings.jobDirectory)/loupe-\(labKey)/run-\(run)" }
    func jobName(run: Int) -> String { "loupe-\(labKey)-run-\(run)" }

    /// Writes the plan's job directory and submits it. A directory left by a daemon that died
    /// before recording its submission is taken as it is when it trains the same inputs (its
    /// cut-off seq is kept: the log moved on since), and its job, if Slurm has one, is adopted
    /// rather than submitted again; a directory of other inputs is cancelled and moved aside.
    package func submit(_ planned: TrainingPlan) throws -> SlurmTraining {
        let directory = directory(run: planned.run)
        let name = jobName(run: planned.run)
        var plan = planned
        if FileManager.default.fileExists(atPath: directory) {
            if let left = try? TrainingJobDirectory(path: directory).manifest().plan(), Self.sameInputs(left, planned) {
                plan = left
                plan.coldStart = planned.coldStart
                if let job = try commands.job(named: name) ?? TrainingJobDirectory(path: directory).jobsThatRan().last {
                    return SlurmTraining(plan: plan, slurmJob: job, directory: directory)
                }
            } else {
                if let job = try commands.job(named: name) { try commands.cancel(job) }
                let aside = "\(directory).replaced-\(Int(Date().timeIntervalSince1970))"
                guard rename(directory, aside) == 0 else { throw DurableFile.posixError("rename \(directory) to \(aside)") }
                try TrainingJobDirectory.write(plan, from: objects, into: directory)
            }
        } else {
            try FileManager.default.createDirectory(atPath: (directory as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try TrainingJobDirectory.write(plan, from: objects, into: directory)
        }
        let job = try commands.submit(trainingArguments(run: plan.run))
        return SlurmTraining(plan: plan, slurmJob: job, directory: directory)
    }

    /// `loupe job run DIR` on a node, its output in the job directory.
    func trainingArguments(run: Int) -> [String] {
        let directory = directory(run: run)
        return sbatchArguments(name: jobName(run: run), output: "\(directory)/slurm-%j.out", command: "job run \(Self.quoted(directory))")
    }

    /// The lab's own arguments first, then Loupe's: each of Loupe's options has its key, and
    /// the settings refuse them among `sbatchArguments`. `command` follows the binary in `--wrap`.
    func sbatchArguments(name: String, output: String, extra: [String] = [], command: String) -> [String] {
        settings.sbatchArguments + ["--job-name=\(name)", "--output=\(output)"] + extra + [
            "--cpus-per-task=\(settings.cpusPerTask)", "--time=\(settings.timeLimit)",
        ] + (settings.partition.map { ["--partition=\($0)"] } ?? []) + ["--wrap=exec \(Self.quoted(settings.binary)) \(command)"]
    }

    /// Where the job stands; once it is over, its outcome. A result that does not pass the
    /// checks (`TrainingJobDirectory.outcome`) is a failure naming what differs, never a model.
    package func observe(_ training: SlurmTraining, current: ServingModel?) throws -> SlurmObservation {
        let job = TrainingJobDirectory(path: training.directory)
        let state = try commands.state(of: training.slurmJob)
        switch state {
        case .queued(let word):
            return .waiting(.queued, state: word)
        case .running(let word):
            return .waiting(.running, state: word)
        case .ended(let word):
            return .ended(.failed(failure(training, state: word)))
        case .completed, nil:
            if state == nil && !FileManager.default.fileExists(atPath: job.resultPath) {
                return .ended(.failed(failure(training, state: "unknown to the cluster, without a result")))
            }
            do {
                let outcome = try job.outcome(plan: training.plan, objects: objects, current: current)
                if case .failed(let reason) = outcome { return .ended(.failed("Slurm job \(training.slurmJob): \(reason)")) }
                return .ended(outcome)
            } catch {
                return .ended(.failed("the result of Slurm job \(training.slurmJob) in \(training.directory) was refused: \(error)"))
            }
        }
    }

    package func cancel(_ training: SlurmTraining) throws {
        try commands.cancel(training.slurmJob)
    }

    /// Slurm's state, the node's error when it wrote one, and the end of the job's log: what
    /// an operator needs to see why, in the log itself.
    func failure(_ training: SlurmTraining, state: String) -> String {
        let job = TrainingJobDirectory(path: training.directory)
        var reason = "Slurm job \(training.slurmJob) ended \(state)"
        if let error = try? job.result().error { reason += ": \(error)" }
        let log = job.logPath(slurmJob: training.slurmJob)
        if let tail = JobFile.tail(log, maxBytes: Self.logTailBytes), !tail.isEmpty {
            reason += "; the end of \(log):\n\(tail)"
        } else {
            reason += "; \(log) is empty or missing"
        }
        return reason
    }

    /// Enough of a log for a stack trace or Slurm's own "CANCELLED AT ... DUE TO TIME LIMIT".
    static let logTailBytes = 2048

    /// Everything but the cut-off seq, which moves with every event the log takes meanwhile.
    static func sameInputs(_ left: TrainingPlan, _ planned: TrainingPlan) -> Bool {
        TrainingJobManifest(plan: left).differences(from: TrainingJobManifest(plan: planned)).allSatisfy { $0 == "upToSeq" }
    }

    /// For `sh -c`: in single quotes, a quote closed, escaped and reopened.
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
