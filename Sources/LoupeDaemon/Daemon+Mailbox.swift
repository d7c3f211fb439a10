import LoupeLab

extension Daemon {
    /// Opens the mailbox: from here on, operations posted by other threads run on the loop.
    func openMailbox() throws {
        let handle = try AsyncHandle(loop: loop) { [unowned self] in self.deliverMail() }
        state.handles.mailbox = handle
        mailbox.open(handle.sender)
    }

    /// Runs every queued operation with the lab's writer, logs the events they appended, then
    /// lets the scheduler react: a correction may make a training due.
    private func deliverMail() {
        let jobs = mailbox.take()
        guard !jobs.isEmpty else { return }
        if state.stopping {
            for job in jobs { job.fail(.stopping(state.stopReason)) }
            return
        }
        let context = LoopContext(
            workspace: workspace,
            onCorrection: { [unowned self] in self.state.lastCorrectionAt = self.loop.now },
            onPredictSoon: { [unowned self] in self.predictSoon(image: $0, ticket: $1, reply: $2) },
            onCancelPrediction: { [unowned self] in self.cancelPrediction(image: $0, ticket: $1) },
            onHint: { [unowned self] in self.hintSoon($0, ticket: $1, reply: $2) },
            onCancelHint: { [unowned self] in self.cancelHint(ticket: $0) },
            onPool: { [unowned self] work, after in WorkRequest.submit(on: self.loop, work: work, after: { after() }) }
        )
        for job in jobs {
            append { job.run(context) }
        }
        // A pause, a request, a pin or a roll-back takes effect here: `schedule` reads them,
        // and follows a change of the serving model.
        schedule()
    }
}
