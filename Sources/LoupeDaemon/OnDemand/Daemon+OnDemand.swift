import LoupeLab

extension Daemon {
    /// Loop thread: queues a prediction someone waits for, answered through `reply` once made
    /// (or at once, if the serving model already predicted the image).
    func predictSoon(image: String, ticket: UInt64, reply: @escaping OnDemandRequests.Reply) {
        guard !state.stopping else { return reply(.failure(MailboxError.stopping(state.stopReason))) }
        do {
            state.serving = try workspace.servingModel(reusing: state.serving)
            guard let serving = state.serving else { return reply(.failure(OnDemandError.noModel)) }
            if let made = try workspace.prediction(ofImage: image, by: serving.sha) { return reply(.success(made)) }
        } catch {
            return reply(.failure(error))
        }
        let limit = workspace.settings.server.maxPendingPredictions
        guard state.onDemand.add(image: image, ticket: ticket, reply: reply, limit: limit) else {
            return reply(.failure(OnDemandError.busy(state.onDemand.waiting)))
        }
        startOnDemand()
    }

    /// Loop thread: a waiter left (its client went away); its request goes unless another waits.
    func cancelPrediction(image: String, ticket: UInt64) {
        state.onDemand.remove(image: image, ticket: ticket)?(.failure(CancellationError()))
    }

    /// Loop thread: starts the next job of the on-demand lane if it is free, a hint before a
    /// prediction: an expert waits on every click, and a hint is a fraction of a prediction.
    func startOnDemand() {
        guard !state.stopping, state.onDemand.isIdle, state.hints.isIdle else { return }
        if let hint = state.hints.start() { return runHint(hint) }
        startPrediction()
    }

    private func startPrediction() {
        guard let serving = state.serving, let image = state.onDemand.start() else { return }
        let job: PredictionJob
        do { job = try workspace.predictionJob(forImage: image, model: serving) } catch {
            return answerOnDemand(.failure(error))
        }
        WorkRequest.submit(on: loop, work: { job.run() }, after: { [unowned self] outcome in
            switch outcome {
            case .predicted(let made):
                do {
                    try self.append { try self.workspace.recordPrediction(made) }
                    self.answerOnDemand(.success(made))
                } catch {
                    self.answerOnDemand(.failure(error))
                }
            case .failed(_, let reason), .deferred(_, let reason):
                self.answerOnDemand(.failure(OnDemandError.failed(reason)))
            }
            self.startOnDemand()
            self.schedule()
            self.finishIfIdle()
        })
    }

    private func answerOnDemand(_ result: Result<PredictionMade, any Error>) {
        for reply in state.onDemand.finish() { reply(result) }
    }

    /// Loop thread, when stopping: the queued waiters are answered now; the running one when it ends.
    func refuseQueuedPredictions() {
        for reply in state.onDemand.drainPending() { reply(.failure(MailboxError.stopping(state.stopReason))) }
        for reply in state.hints.drainPending() { reply(.failure(MailboxError.stopping(state.stopReason))) }
    }
}
