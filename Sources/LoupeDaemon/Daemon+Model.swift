import Foundation
import LoupeLab

extension Daemon {
    /// Starts the next heavy job, as the lab's one scheduling rule (`RetrainPolicy.nextWork`)
    /// decides: a training when one is due, otherwise the prediction of the next image the
    /// serving model has not seen, or a wake-up at the end of the quiet period.
    func schedule() {
        guard !state.stopping, loop.now >= state.backoff.pausedUntil else { return }
        if state.unrecordedTraining != nil { return recordEndedTraining() }
        do {
            // An operator's pin or roll-back (through the workspace) changes the serving model
            // without a training: follow it, and the backlog follows the new model.
            state.serving = try workspace.servingModel(reusing: state.serving)
            try considerSweep()
            let situation = try workspace.workSituation(
                model: state.serving?.sha, skipping: state.unpredictable.union(state.sweepImages),
                jobRunning: state.heavy != nil || state.slurmRequest,
                secondsSinceLastCorrection: Double(loop.now - state.lastCorrectionAt) / 1000,
                secondsSinceLastFailure: Double(loop.now - state.lastTrainingFailedAt) / 1000,
                trainingElsewhere: state.slurm?.standing
            )
            switch workspace.settings.retrain.nextWork(situation) {
            case .busy:
                return
            case .train:
                if let slurmCluster { try submitTraining(to: slurmCluster) } else { try startTraining() }
            case .predict(let image):
                try predict(image)
            case .wait(let seconds):
                releaseFreedMemory()
                wake(after: UInt64((seconds * 1000).rounded(.up)))
            case .idle:
                releaseFreedMemory()
            }
        } catch where TransientFault.contains(error) {
            backOff("\(error)", while: "scheduling")
        } catch {
            fail(error, while: "scheduling")
        }
        writeStatus()
    }

    private func startTraining() throws {
        let plan = try workspace.planTraining()
        try append { try workspace.recordTrainingStarted(plan) }
        state.heavy = .training(run: plan.run)
        state.monitor = TrainingMonitor()
        state.loggedEpoch = 0
        let monitor = state.monitor
        let incumbent = state.serving
        let job = workspace.trainingJob(plan, current: incumbent)
        WorkRequest.submit(on: loop, work: { job.run(monitor: monitor) }, after: { [unowned self] outcome in
            self.state.heavy = nil
            self.state.memoryToRelease = true
            self.state.unrecordedTraining = DaemonState.EndedTraining(outcome: outcome, plan: plan, incumbent: incumbent?.sha)
            self.recordEndedTraining()
        })
    }

    /// Records the training that ended, and follows a promotion. A full disk or ledger keeps
    /// the result in memory and retries with back-off (`schedule` tries again first), so the
    /// model is neither lost nor trained again; any other failure stops the daemon.
    func recordEndedTraining() {
        guard let ended = state.unrecordedTraining else { return }
        do {
            try record(ended)
            state.unrecordedTraining = nil
            recovered()
            // Before the sweep of re-predictions: the training's buffers are the largest.
            releaseFreedMemory()
            if case .failed = ended.outcome { announceRetry(after: ended.plan.run) }
        } catch where TransientFault.contains(error) {
            backOff("\(error)", while: "recording training run \(ended.plan.run)", keeping: "its result waits in memory")
            return finishIfIdle()
        } catch {
            state.unrecordedTraining = nil
            return fail(error, while: "recording training run \(ended.plan.run)")
        }
        schedule()
        finishIfIdle()
    }

    /// Appends an ended training's events and follows a promotion; throws what appending threw.
    func record(_ ended: DaemonState.EndedTraining) throws {
        try append {
            if let promoted = try workspace.recordTraining(ended.outcome, plan: ended.plan, current: ended.incumbent) {
                state.serving = try workspace.model(promoted)
                let removed = try workspace.clearPredictionsOfCorrectedImages()
                if removed > 0 { logger.info("removed \(removed) predictions of corrected images from predictions/") }
            }
        }
    }

    /// Says what becomes of a failed training's corrections (`FailedTrainingRetry`).
    private func announceRetry(after run: Int) {
        state.lastTrainingFailedAt = loop.now
        guard let need = try? workspace.trainingNeed() else { return }
        let retry = need.failedRetry
        let waiting = "\(need.untrainedCorrections) correction\(need.untrainedCorrections == 1 ? "" : "s") still wait"
        if retry.allowed {
            let delay = retry.delay(base: workspace.settings.retrain.retryFailedSeconds)
            logger.warning("training run \(run) failed; \(waiting); attempt \(retry.failures + 1) of \(FailedTrainingRetry.maxAttempts) in \(delay) s")
        } else {
            logger.warning("training run \(run) failed; \(waiting); no attempt left on them: the next correction starts a training")
        }
    }

    private func predict(_ image: String) throws {
        guard let serving = state.serving else { return }
        let job = try workspace.predictionJob(forImage: image, model: serving)
        state.heavy = .prediction(image: image)
        WorkRequest.submit(on: loop, work: { job.run() }, after: { [unowned self] outcome in
            self.state.heavy = nil
            self.state.memoryToRelease = true
            switch outcome {
            case .predicted(let made):
                do {
                    try self.append { try self.workspace.recordPrediction(made) }
                    self.recovered()
                } catch where TransientFault.contains(error) {
                    self.backOff("\(error)", while: "recording a prediction", keeping: "the image is predicted again")
                } catch {
                    return self.fail(error, while: "recording a prediction")
                }
            case .deferred(_, let reason):
                self.backOff(reason, while: "predicting \(image.prefix(12))", keeping: "the image is predicted again")
            case .failed(let image, let reason):
                self.state.unpredictable.insert(image)
                self.logger.error("prediction of \(image.prefix(12)) failed: \(reason); not retried until restart")
            }
            self.schedule()
            self.finishIfIdle()
        })
    }

    /// After a training, and once a sweep of predictions ends (nothing left to start).
    private func releaseFreedMemory() {
        guard state.memoryToRelease else { return }
        state.memoryToRelease = false
        ProcessMemory.releaseFreed()
    }
}
