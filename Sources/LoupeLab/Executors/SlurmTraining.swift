/// A training handed to Slurm: what it trains, the job that trains it, and the directory its
/// inputs went to and its result comes back in. Recorded in its TrainingStarted, so a restarted
/// daemon follows the same job instead of submitting another.
package struct SlurmTraining: Sendable, Equatable {
    package var plan: TrainingPlan
    package var slurmJob: String
    package var directory: String

    package var run: Int { plan.run }
}

/// Where a training that runs outside the daemon's process stands in the cluster's queue:
/// one still queued may be replaced by a newer one at no cost, one running is waited for.
package enum TrainingElsewhere: Sendable, Equatable {
    case queued
    case running
}

/// What a look at a Slurm training found.
package enum SlurmObservation: Sendable, Equatable {
    /// Still in the cluster; `state` is Slurm's word for it.
    case waiting(TrainingElsewhere, state: String)
    /// Over: the outcome to record, a refused result or a failed job as `.failed` with its reason.
    case ended(TrainingJob.Outcome)
}
