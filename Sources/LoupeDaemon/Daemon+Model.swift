import Foundation
import LoupeLab
import LoupeLedger

extension Daemon {
    /// Starts the next heavy job if none runs: a training when one is due, otherwise the
    /// prediction of the next image the current model has not seen.
    func schedule() {
        guard !stopping, heavy == nil else { return }
        do {
            if try startTrainingIfDue() { return }
            try predictNext()
        } catch {
            fail(error, while: "scheduling")
        }
        writeStatus()
    }

    /// Due when `minNewCorrections` arrived since the last completed training and none for
    /// `quietSeconds`; otherwise a wake-up is set for the end of the quiet period.
    private func startTrainingIfDue() throws -> Bool {
        let policy = workspace.settings.retrain
        let need = try workspace.trainingNeed()
        guard need.newCorrections >= policy.minNewCorrections else { return false }
        let quiet = UInt64(policy.quietSeconds * 1000)
        let waited = loop.now - lastCorrectionAt
        guard waited >= quiet else {
            wake(after: quiet - waited)
            return false
        }
        let plan = try workspace.planTraining()
        guard !plan.training.isEmpty else { return false }
        try append { try workspace.recordTrainingStarted(plan) }
        heavy = .training(run: plan.run)
        monitor = TrainingMonitor()
        loggedEpoch = 0
        let monitor = monitor
        let job = TrainingJob(plan: plan, objects: workspace.objects, current: current?.sha)
        let incumbent = current?.sha
        WorkRequest.submit(on: loop, work: {
            job.run(progress: monitor.report, shouldStop: { monitor.stopRequested })
        }, after: { [unowned self] outcome in
            self.heavy = nil
            do {
                try self.append {
                    if let promoted = try self.workspace.recordTraining(outcome, plan: plan, current: incumbent) {
                        self.current = (promoted, try self.workspace.weights(of: promoted))
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
        return true
    }

    private func predictNext() throws {
        guard let current else { return }
        guard let image = try workspace.predictionBacklog(model: current.sha).first(where: { !unpredictable.contains($0.sha) }) else {
            return
        }
        let job = try workspace.predictionJob(for: image, model: current.sha, weights: current.weights)
        heavy = .prediction(image: image.sha)
        WorkRequest.submit(on: loop, work: { job.run() }, after: { [unowned self] outcome in
            self.heavy = nil
            switch outcome {
            case .predicted(let made):
                do { try self.append { try self.workspace.recordPrediction(made) } } catch {
                    return self.fail(error, while: "recording a prediction")
                }
            case .failed(let image, let reason):
                self.unpredictable.insert(image)
                self.logger.error("prediction of \(image.prefix(12)) failed: \(reason); not retried until restart")
            }
            self.schedule()
            self.finishIfIdle()
        })
    }
}
