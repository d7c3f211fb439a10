import LoupeLedger

/// The operator's standing decisions, for the status endpoint.
package struct TrainingControls: Sendable, Equatable, Codable {
    package var paused: Bool
    package var pinnedModel: String?
    /// A TrainingRequested not yet answered by a TrainingStarted.
    package var trainingRequested: Bool
}

extension Workspace {
    /// Asks for a training at the next scheduling decision, if at least one correction has
    /// not been trained on, without waiting for `retrain.minNewCorrections` or the quiet
    /// period. The request stands until a training starts. Returns the event's seq.
    @discardableResult
    package func requestTraining(by: String?) throws -> Int {
        try appendControl(.trainingRequested(OperatorAction(by: by)))
    }

    /// While paused, no training starts (`RetrainPolicy.nextWork`); predictions go on.
    @discardableResult
    package func pauseTraining(by: String?) throws -> Int {
        try appendControl(.trainingPaused(OperatorAction(by: by)))
    }

    @discardableResult
    package func resumeTraining(by: String?) throws -> Int {
        try appendControl(.trainingResumed(OperatorAction(by: by)))
    }

    package func controls() throws -> TrainingControls {
        let record = try projections.controls()
        return TrainingControls(
            paused: record.paused, pinnedModel: record.pinnedModel, trainingRequested: record.trainingRequestedSeq != nil
        )
    }

    /// One event on the `controls` stream. Its id is made from the head it extends: operator
    /// actions have no natural key, and the log's single writer makes head+1 unique.
    private func appendControl(_ event: LedgerEvent) throws -> Int {
        let next = try ledger.head().seq + 1
        return try ledger.append(PendingEvent(stream: "controls", eventID: "controls:\(next)", event: event)).seq
    }
}
