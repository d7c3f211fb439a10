import LoupeLedger

extension Workspace {
    /// The images a sweep of `model` would hand to the cluster: the prediction backlog past
    /// its first page (`queueHead`), which the daemon predicts itself at once so annotators
    /// see the new model within seconds, or all of it (`pastHead` false: a sweep adopted
    /// after a restart owns its images wherever they stand now); `skipping` left out.
    package func sweepImages(model: String, skipping: Set<String>, pastHead: Bool = true) throws -> [ImageRecord] {
        try predictionBacklog(model: model).dropFirst(pastHead ? Self.queueHead : 0).filter { !skipping.contains($0.sha) }
    }

    /// Where each image's prediction goes and the size its mask must have.
    package func sweepTargets(_ images: [ImageRecord]) throws -> [String: SweepTarget] {
        var targets: [String: SweepTarget] = [:]
        for image in images {
            targets[image.sha] = SweepTarget(fileName: try predictionFileName(for: image), width: image.width, height: image.height)
        }
        return targets
    }

    /// Appends the predictions a sweep brought back, in one transaction, except those no
    /// longer wanted: an image corrected meanwhile, one the model already predicted here, or
    /// a model no longer in service. Returns how many were appended.
    @discardableResult
    package func recordSweepPredictions(_ predictions: [PredictionMade]) throws -> Int {
        let serving = try projections.currentModel()?.sha
        var batch: [PendingEvent] = []
        var again: [PredictionMade] = []
        for made in predictions where made.model == serving {
            guard let image = try projections.image(sha: made.image), image.state != .corrected, image.predictionModel != made.model else { continue }
            let id = try predictionEventID(made)
            // A model serving again after a roll-back names its event after the log's head,
            // which each append moves: those go one by one.
            if id == "prediction:\(made.image):\(made.model)" {
                batch.append(PendingEvent(stream: "image-\(made.image)", eventID: id, event: .predictionMade(made)))
            } else {
                again.append(made)
            }
        }
        if !batch.isEmpty { try ledger.append(batch) }
        for made in again { try recordPrediction(made) }
        return batch.count + again.count
    }
}
