import Foundation
import LoupeLab

extension Daemon {
    /// Starts the next heavy job, as the lab's one scheduling rule (`RetrainPolicy.nextWork`)
    /// decides: a training when one is due, otherwise the prediction of the next image the
    /// serving model has not seen, or a wake-up at the end of the quiet period.
    func schedule() {
        guard !state.stopping, loop.now >= state.backoff.pausedUntil else { return }
        do {
            // An operator's pin or roll-back (through the workspace) changes the serving model
            // without a training: follow it, and the backlog follows the new model.
            state.serving = try workspace.servingModel(reusing: state.serving)
            let situation = try workspace.workSituation(
                model: state.serving?.sha, skipping: state.unpredictable, jobRunning: state.heavy != nil,
                secondsSinceLastCorrection: Double(loop.now - state.lastCorrectionAt) / 1000
            )
            switch workspace.settings.retrain.nextWork(situation) {
            case .busy:
                return
            case .train:
                try startTraining()
            case .predict(let image):
                try predict(image)
            case .wait(let seconds):
                wake(after: UInt64((seconds * 1000).rounded(.up)))
            case .idle:
                break
            }
        } catch where Workspace.isLedgerFailure(error) {
            backOff(error, while: "scheduling")
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
            do {
                try self.append {
                    if let promoted = try self.workspace.recordTraining(outcome, plan: plan, current: incumbent?.sha) {
                        self.state.serving = try self.workspace.model(promoted)
                        let removed = try self.workspace.clearPredictionsOfCorrectedImages()
                        if removed > 0 { self.logger.info("removed \(removed) predictions of corrected images from predictions/") }
                    }
                }
            } catch {
                return self.fail(error, while: "recording training run \(plan.run)")
            }
            self.schedule()
            self.finishIfIdle()
        })
    }

    private func predict(_ image: String) throws {
        guard let serving = state.serving else { return }
        let job = try workspace.predictionJob(forImage: image, model: serving)
        state.heavy = .prediction(image: image)
        WorkRequest.submit(on: loop, work: { job.run() }, after: { [unowned self] outcome in
            self.state.heavy = nil
            switch outcome {
            case .predicted(let made):
                do { try self.append { try self.workspace.recordPrediction(made) } } catch {
                    return self.fail(error, while: "recording a prediction")
                }
            case .failed(let image, let reason):
                self.state.unpredictable.insert(image)
                self.logger.error("prediction of \(image.prefix(12)) failed: \(reason); not retried until restart")
            }
            self.schedule()
            self.finishIfIdle()
        })
    }
}
