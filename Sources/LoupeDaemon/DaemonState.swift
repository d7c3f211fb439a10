import LoupeLab

/// Everything the daemon changes while it runs. Owned by the loop thread: the daemon holds it
/// in a `LoopBound`, so a touch from another thread traps in debug builds.
struct DaemonState {
    enum HeavyJob {
        case prediction(image: String)
        case training(run: Int)
    }

    var inbox: DropFolder
    var corrections: DropFolder
    let journal: IntakeJournal
    /// Dropped files whose examination is on the thread pool, or whose result awaits its flush.
    var inFlight: Set<String> = []
    var examinedImages: [(examined: ExaminedImage, path: String)] = []
    /// Files left in place (incomplete, replaced, a transient error) whose wait was logged.
    var deferred: Set<String> = []
    /// Intake and scheduling wait out a ledger or disk failure instead of stopping the daemon.
    var backoff = Backoff()
    /// Folder events arrive one per file; a burst of them is answered by one listing.
    var scanPending = false
    var heavy: HeavyJob?
    /// Predictions a person or Label Studio waits for, run beside the heavy job.
    var onDemand = OnDemandRequests()
    /// Hints experts wait for, in the same lane as `onDemand`, ahead of it.
    var hints = HintRequests()
    /// A heavy job ended since the memory it freed was last handed back (`ProcessMemory`).
    var memoryToRelease = false
    /// A training that ended but is not recorded yet (the disk or the ledger is full): its
    /// result waits here for the next try, and no other heavy job starts before it is recorded.
    var unrecordedTraining: EndedTraining?
    var serving: ServingModel?
    /// The training on the Slurm cluster the daemon follows (`Daemon+Slurm`).
    var slurm: SlurmFollow?
    /// A submission to Slurm or a cancellation is on the thread pool.
    var slurmRequest = false
    /// A look at the followed job (squeue, then its result) is on the thread pool.
    var slurmLooking = false
    /// The prediction sweep on the cluster the daemon follows (`Daemon+Sweeps`).
    var sweep: SweepFollow?
    /// Images handed to the cluster, or about to be: the daemon does not predict them itself.
    var sweepImages: Set<String> = []
    /// A sweep's submission, collection or cancellation is on the thread pool.
    var sweepRequest = false
    /// At start, the arrays of models that no longer serve are being cancelled, on the pool.
    var cancellingStaleSweeps = false
    /// Models this process has swept for, once each: what a sweep gave back is predicted here.
    var sweptModels: Set<String> = []
    /// Images whose prediction failed in this process, not retried until a restart.
    var unpredictable: Set<String> = []
    /// Loop time of the last accepted correction: the quiet period counts from it.
    var lastCorrectionAt: UInt64 = 0
    /// Loop time of the last failed training (or of the start): its retry waits from it.
    var lastTrainingFailedAt: UInt64 = 0
    var monitor = TrainingMonitor()
    /// The last epoch of the running training that was logged.
    var loggedEpoch = 0
    var stopping = false
    var stopReason = ""
    /// Why the daemon stops on an error it cannot survive; `run` throws it, for a nonzero exit.
    var failure: String?
    var lastLoggedSeq = 0
    /// Loop time the wake timer is set for, if it is set.
    var wakeAt: UInt64?
    var handles = Handles()

    /// The libuv handles the daemon keeps open while it runs.
    struct Handles {
        var watches: [FolderWatchHandle] = []
        var signals: [SignalHandle] = []
        var rescan: TimerHandle?
        var wake: TimerHandle?
        var flush: TimerHandle?
        var scan: TimerHandle?
        var mailbox: AsyncHandle?
        /// Asks Slurm how the followed job stands, every `executor.pollSeconds`.
        var slurmPoll: TimerHandle?

        mutating func closeAll() {
            for watch in watches { watch.close() }
            for signal in signals { signal.close() }
            for timer in [rescan, wake, flush, scan, slurmPoll] { timer?.close() }
            mailbox?.close()
            self = Handles()
        }
    }

    struct EndedTraining {
        var outcome: TrainingJob.Outcome
        var plan: TrainingPlan
        /// The model in service when the training started, which it was scored against.
        var incumbent: String?
    }

    struct SlurmFollow {
        var training: SlurmTraining
        /// The model in service when the training started, which its result is scored against.
        var incumbent: ServingModel?
        /// Taken as running until Slurm says otherwise: a running job is never replaced.
        var standing = TrainingElsewhere.running
        /// Slurm's word at the last look, logged when it changes.
        var word = "SUBMITTED"
    }

    struct SweepFollow {
        var sweep: SlurmSweep
        var targets: [String: SweepTarget]
        /// Shards taken back, refused, or lost.
        var done: Set<Int> = []
    }

    init(inbox: String, corrections: String, journal: IntakeJournal) {
        self.inbox = DropFolder(path: inbox)
        self.corrections = DropFolder(path: corrections)
        self.journal = journal
    }

    var activity: DaemonActivity {
        switch heavy {
        case .prediction(let image): .predicting(image: image)
        case .training(let run): .training(run: run)
        // A training on the cluster, while the daemon's own slot is free.
        case nil: stopping ? .stopping : slurm.map { .training(run: $0.training.run) } ?? .idle
        }
    }
}
