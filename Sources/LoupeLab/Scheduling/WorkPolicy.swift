/// What the scheduler needs to know of a lab to choose its next heavy job.
package struct WorkSituation: Sendable, Equatable {
    /// A prediction or a training is running.
    package var jobRunning: Bool
    /// Corrections not yet learnt from (`Workspace.trainingNeed`).
    package var newCorrections: Int
    /// Seconds since the newest correction arrived, on the caller's clock; nil when none has.
    package var secondsSinceLastCorrection: Double?
    /// The first image the serving model has not predicted yet; nil without a model or backlog.
    package var nextPrediction: String?
    /// The last model fell below the promotion floor and may be trained again with a larger
    /// budget (`Workspace.budgetEscalation`).
    package var retryBelowFloor: Bool
    /// The operator paused training (`Workspace.pauseTraining`): no training starts.
    package var paused: Bool
    /// The operator asked for a training (`Workspace.requestTraining`) and at least one
    /// correction has not been trained on: train now, whatever the count and the quiet period.
    package var trainingRequested: Bool
    /// Failed trainings on the waiting corrections (`FailedTrainingRetry`).
    package var failedTrainings: Int
    /// Seconds since the latest training failed, on the caller's clock; nil when unknown,
    /// taken as long enough.
    package var secondsSinceLastFailure: Double?
    /// A training on the cluster: it leaves the daemon's own slot to predictions, and
    /// `newCorrections` counts only corrections it does not have.
    package var trainingElsewhere: TrainingElsewhere?

    package init(
        jobRunning: Bool, newCorrections: Int, secondsSinceLastCorrection: Double?, nextPrediction: String?,
        retryBelowFloor: Bool = false, paused: Bool = false, trainingRequested: Bool = false, failedTrainings: Int = 0,
        secondsSinceLastFailure: Double? = nil, trainingElsewhere: TrainingElsewhere? = nil
    ) {
        self.jobRunning = jobRunning
        self.newCorrections = newCorrections
        self.secondsSinceLastCorrection = secondsSinceLastCorrection
        self.nextPrediction = nextPrediction
        self.retryBelowFloor = retryBelowFloor
        self.paused = paused
        self.trainingRequested = trainingRequested
        self.failedTrainings = failedTrainings
        self.secondsSinceLastFailure = secondsSinceLastFailure
        self.trainingElsewhere = trainingElsewhere
    }
}

/// The next heavy job; one runs at a time.
package enum NextWork: Sendable, Equatable {
    /// A job is running: ask again when it ends.
    case busy
    case train
    case predict(image: String)
    /// Nothing to do now; a training falls due after the quiet period.
    case wait(seconds: Double)
    case idle
}

extension RetrainPolicy {
    /// The one scheduling rule, for the daemon and for whoever watches it (`simulate`):
    /// train once `minNewCorrections` arrived, or the last model fell below the floor, and no
    /// correction for `quietSeconds` (and after a failed training, its retry delay has passed);
    /// until then, and when no training is due, predict the images the serving model has not
    /// seen. An operator's request trains at once; while training is paused, only predictions run.
    /// A training due while an older one waits in the cluster's queue replaces it (`.train`);
    /// one that already holds a node is waited for, the predictions going on meanwhile.
    package func nextWork(_ situation: WorkSituation) -> NextWork {
        if situation.jobRunning { return .busy }
        let mayTrain = !situation.paused && situation.trainingElsewhere != .running
        if situation.trainingRequested && mayTrain { return .train }
        var quietLeft: Double?
        if mayTrain && (situation.newCorrections >= minNewCorrections || situation.retryBelowFloor) {
            let retryDelay = FailedTrainingRetry(failures: situation.failedTrainings).delay(base: retryFailedSeconds)
            let left = max(
                quietSeconds - (situation.secondsSinceLastCorrection ?? .infinity),
                retryDelay - (situation.secondsSinceLastFailure ?? .infinity)
            )
            if left <= 0 { return .train }
            quietLeft = left
        }
        if let image = situation.nextPrediction { return .predict(image: image) }
        if let quietLeft { return .wait(seconds: quietLeft) }
        return .idle
    }
}

extension Workspace {
    /// The lab's situation for `RetrainPolicy.nextWork`, from the projections; `skipping`
    /// leaves out images whose prediction failed. `trainingElsewhere` is where the run still
    /// marked running stands on the cluster; without it, that run occupies the daemon.
    package func workSituation(
        model: String?, skipping: Set<String> = [], jobRunning: Bool, secondsSinceLastCorrection: Double?,
        secondsSinceLastFailure: Double? = nil, trainingElsewhere: TrainingElsewhere? = nil
    ) throws -> WorkSituation {
        let need = try trainingNeed()
        let controls = try projections.controls()
        let next = try model.flatMap { try nextPrediction(model: $0, skipping: skipping) }
        var situation = WorkSituation(
            jobRunning: jobRunning || need.interruptedRun != nil, newCorrections: need.newCorrections,
            secondsSinceLastCorrection: secondsSinceLastCorrection, nextPrediction: next,
            retryBelowFloor: need.retryBelowFloor, paused: controls.paused,
            trainingRequested: controls.trainingRequestedSeq != nil && need.untrainedCorrections > 0,
            failedTrainings: need.failedRetry.failures, secondsSinceLastFailure: secondsSinceLastFailure
        )
        if let trainingElsewhere, let running = try projections.runs().last(where: { $0.status == "running" }) {
            situation.jobRunning = jobRunning
            situation.trainingElsewhere = trainingElsewhere
            situation.newCorrections = try ledger.seqs(of: .correctionAccepted, after: running.upToSeq).count
            situation.retryBelowFloor = false
            situation.failedTrainings = 0
        }
        return situation
    }
}
