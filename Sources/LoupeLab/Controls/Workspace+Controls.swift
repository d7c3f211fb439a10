import LoupeLedger

/// The operator's standing decisions, for the status endpoint.
public struct TrainingControls: Sendable, Equatable, Codable {
    public var paused: Bool
    public var pinnedModel: String?
    /// A TrainingRequested not yet answered by a TrainingStarted.
    public var trainingRequested: Bool
}

extension Workspace {
    /// Asks for a training at the next scheduling decision, if at least one correction has
    /// not been trained on, without waiting for `retrain.minNewCorrections` or the quiet
    /// period. The request stands until a training starts. Returns the event's seq.
    @discardableResult
    public func requestTraining(by: String?) throws -> Int {
        try appendControl(.trainingRequested(OperatorAction(by: by)))
    }

    /// While paused, no training starts (`RetrainPolicy.nextWork`); predictions go on.
    @discardableResult
    public func pauseTraining(by: String?) throws -> Int {
        try appendControl(.trainingPaused(OperatorAction(by: by)))
    }

    @discardableResult
    public func resumeTraining(by: String?) throws -> Int {
        try appendControl(.trainingResumed(OperatorAction(by: by)))
    }

    public func controls() throws -> TrainingControls {
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
