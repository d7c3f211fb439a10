import LoupeLab

extension Daemon {
    /// Loop thread: checks a hint against the serving model and queues it in the on-demand
    /// lane; `reply` gets the answer, or at once why there is none.
    func hintSoon(_ hint: HintAsked, ticket: UInt64, reply: @escaping HintRequests.Reply) {
        guard !state.stopping else { return reply(.failure(MailboxError.stopping(state.stopReason))) }
        let job: HintJob
        do {
            state.serving = try workspace.servingModel(reusing: state.serving)
            job = try workspace.hintJob(image: hint.image, clicks: hint.clicks, newCount: hint.newCount,
                                        model: state.serving, expectedModel: hint.model)
        } catch {
            return reply(.failure(error))
        }
        guard state.hints.add(ticket: ticket, job: job, reply: reply, limit: workspace.settings.server.maxPendingPredictions) else {
            return reply(.failure(OnDemandError.busyHints(state.hints.waiting)))
        }
        startOnDemand()
    }

    /// Loop thread: a waiter left; its hint goes if it has not started.
    func cancelHint(ticket: UInt64) {
        state.hints.remove(ticket: ticket)?(.failure(CancellationError()))
    }

    func runHint(_ job: HintJob) {
        WorkRequest.submit(on: loop, work: { Result { try job.run() } }, after: { [unowned self] result in
            self.state.hints.finish()?(result)
            self.startOnDemand()
            self.finishIfIdle()
        })
    }
}

/// A hint as a door asks for it: the image, every click so far (the last `newCount` new), and
/// the model the earlier ones were answered by, if the door knows.
package struct HintAsked: Sendable {
    package let image: String
    package let clicks: [Click]
    package let newCount: Int?
    package let model: String?

    package init(image: String, clicks: [Click], newCount: Int?, model: String?) {
        self.image = image
        self.clicks = clicks
        self.newCount = newCount
        self.model = model
    }
}
