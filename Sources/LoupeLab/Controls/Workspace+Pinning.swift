import LoupeLedger

extension Workspace {
    /// Puts `model` (a full SHA-256 or a unique prefix of a model trained here) into service
    /// now and keeps it there: later trainings still run, but their models are rejected
    /// ("a model is pinned") until `unpin`. Appends ModelPinned, then ModelPromoted ("pinned
    /// by X") unless the model already serves, so the serving model has one projection.
    /// Returns the seq of the last event appended.
    @discardableResult
    package func pin(model key: String, by: String?) throws -> Int {
        let model = try servableModel(key)
        let next = try ledger.head().seq + 1
        var events = [PendingEvent(stream: "controls", eventID: "controls:\(next)", event: .modelPinned(ModelPin(model: model, by: by)))]
        let current = try projections.currentModel()?.sha
        if current != model {
            events.append(PendingEvent(stream: "model-\(model)", eventID: "controls:\(next):promoted", event: .modelPromoted(
                ModelPromoted(model: model, replaced: current, why: "pinned by \(Self.who(by))"))))
        }
        return try ledger.append(events).last!.seq
    }

    /// Lifts the pin; the pinned model keeps serving until a better one is promoted.
    @discardableResult
    package func unpin(by: String?) throws -> Int {
        guard let pinned = try projections.controls().pinnedModel else { throw ControlError.nothingPinned }
        let next = try ledger.head().seq + 1
        return try ledger.append(PendingEvent(
            stream: "controls", eventID: "controls:\(next)", event: .modelUnpinned(ModelPin(model: pinned, by: by))
        )).seq
    }

    /// Serves an earlier model trained here again: appends ModelPromoted ("rolled back by X").
    /// Refuses a model not trained here, one below the promotion floor, the one serving, and
    /// any other while a model is pinned. Predictions follow by themselves: the backlog is the
    /// images the serving model has not predicted.
    @discardableResult
    package func rollBack(to key: String, by: String?) throws -> Int {
        let model = try servableModel(key)
        let current = try projections.currentModel()?.sha
        if let pinned = try projections.controls().pinnedModel, pinned != model { throw ControlError.pinned(pinned) }
        guard current != model else { throw ControlError.alreadyServing(model) }
        let next = try ledger.head().seq + 1
        return try ledger.append(PendingEvent(stream: "model-\(model)", eventID: "rollback:\(next)", event: .modelPromoted(
            ModelPromoted(model: model, replaced: current, why: "rolled back by \(Self.who(by))")))).seq
    }

    /// The model a key names, if it was trained here and may serve. A model rejected below the
    /// floor may not (it predicts nothing useful); one rejected only for scoring below the
    /// model of its day, or while another was pinned, may.
    func servableModel(_ key: String) throws -> String {
        let models = try projections.models()
        var found = models.filter { $0.sha == key }
        if found.isEmpty, key.count >= 8, key.allSatisfy(\.isHexDigit) {
            found = models.filter { $0.sha.hasPrefix(key.lowercased()) }
        }
        guard found.count == 1, let model = found.first?.sha else {
            throw found.isEmpty ? ControlError.unknownModel(key) : ControlError.ambiguousModel(key, found.map(\.sha))
        }
        for row in try ledger.events(inStream: "model-\(model)", type: .modelRejected) {
            if case .modelRejected(let rejected) = try row.decoded(), rejected.floor != nil {
                throw ControlError.belowFloor(model: model, reason: rejected.reason ?? "below the promotion floor")
            }
        }
        return model
    }

    static func who(_ by: String?) -> String {
        by ?? "the operator"
    }
}
