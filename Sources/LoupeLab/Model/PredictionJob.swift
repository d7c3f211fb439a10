import Foundation
import LoupeLedger
import LoupeVision

/// The heavy part of a prediction: decode, run the model, store the mask and write it to
/// predictions/ (temporary file + rename, so a reader never sees half a PNG). The file is
/// written before the event is appended: after a crash the image is simply predicted again.
package struct PredictionJob: Sendable {
    package let image: String
    let fileName: String
    let model: ServingModel
    let objects: ObjectStore
    let predictionsFolder: String
    let writeProbabilityMap: Bool

    package enum Outcome: Sendable, Equatable {
        case predicted(PredictionMade)
        case failed(image: String, reason: String)
        /// A full disk or another `TransientFault`: the same prediction may succeed later.
        case deferred(image: String, reason: String)
    }

    package func run() -> Outcome {
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            let raster = try ImageCodec.decode(objects.read(image))
            let prediction = Predictor(weights: model.weights).predict(image: raster)
            let png = try ImageCodec.encodePNG(prediction.mask)
            let mask = try objects.put(png)
            try DurableFile.write(png, to: "\(predictionsFolder)/\(fileName).png")
            // Always stored, so the browser can show a heat map of any prediction; the file in
            // predictions/ is for pipelines, and only when asked for.
            let probabilityPNG = try ImageCodec.encodePNG(prediction.probabilityImage)
            let probability = try objects.put(probabilityPNG)
            if writeProbabilityMap {
                try DurableFile.write(probabilityPNG, to: "\(predictionsFolder)/\(fileName).prob.png")
            }
            let ms = Int((DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
            return .predicted(PredictionMade(
                image: image, model: model.sha, mask: mask, uncertainty: prediction.uncertainty,
                vesselFraction: prediction.vesselFraction, ms: ms, probability: probability
            ))
        } catch where TransientFault.contains(error) {
            return .deferred(image: image, reason: "\(error)")
        } catch {
            return .failed(image: image, reason: "\(error)")
        }
    }
}

extension Workspace {
    /// The images annotators open next: after a promotion they are re-predicted before anything else.
    package static let queueHead = 20

    /// Images waiting for an expert that the model `model` has not predicted yet, in the order
    /// the daemon predicts them: first those among the annotation queue's first `head` (what
    /// annotators open next, so it shows the newest model within seconds of a promotion), then
    /// never predicted ones, oldest first (a pipeline waits for their first mask), then the
    /// others in the queue's order. Never-predicted images first throughout would keep the
    /// queue's head on the old model until every new image of a large lab had a mask.
    package func predictionBacklog(model: String, strategy: QueueStrategy? = nil, head: Int = Workspace.queueHead) throws -> [ImageRecord] {
        let queue = try annotationQueue(strategy: strategy)
        let first = queue.prefix(head).filter { $0.predictionModel != model }
        let rest = queue.dropFirst(head).filter { $0.predictionModel != model }
        let unpredicted = rest.filter { $0.predictionModel == nil }.sorted { $0.ingestedSeq < $1.ingestedSeq }
        return first + unpredicted + rest.filter { $0.predictionModel != nil }
    }

    /// The first image of `predictionBacklog(model:head:)` outside `skipping`. The daemon asks
    /// before every prediction: for the strategies SQL can order, a few rows are read instead of
    /// ordering the whole lab, which added about 50 ms to each prediction at 10,000 images and
    /// made a sweep quadratic.
    package func nextPrediction(model: String, skipping: Set<String> = [], head: Int = Workspace.queueHead) throws -> String? {
        guard let order = settings.queueStrategy.waitingOrder else {
            return try predictionBacklog(model: model, head: head).first { !skipping.contains($0.sha) }?.sha
        }
        func open(_ images: [ImageRecord]) -> String? {
            images.first { $0.predictionModel != model && !skipping.contains($0.sha) }?.sha
        }
        let enough = skipping.count + 1
        return try open(projections.waitingImages(.all, order: order, limit: head))
            ?? open(projections.waitingImages(.neverPredicted, order: .oldest, limit: enough))
            ?? open(projections.waitingImages(.notPredictedBy(model), order: order, limit: enough))
    }

    /// How many images `predictionBacklog(model:)` holds, counted without ordering them.
    package func predictionBacklogCount(model: String) throws -> Int {
        try projections.countWaiting(notPredictedBy: model)
    }

    package func predictionJob(forImage sha: String, model: ServingModel) throws -> PredictionJob {
        guard let image = try projections.image(sha: sha) else { throw LookupError.noImage(sha) }
        return try predictionJob(for: image, model: model)
    }

    package func predictionJob(for image: ImageRecord, model: ServingModel) throws -> PredictionJob {
        PredictionJob(
            image: image.sha, fileName: try predictionFileName(for: image), model: model, objects: objects,
            predictionsFolder: predictions, writeProbabilityMap: settings.writeProbabilityMaps
        )
    }

    @discardableResult
    package func recordPrediction(_ made: PredictionMade) throws -> Appended {
        try ledger.append(PendingEvent(stream: "image-\(made.image)", eventID: try predictionEventID(made), event: .predictionMade(made)))
    }

    /// `prediction:IMAGE:MODEL`, so a prediction recorded twice is one event. A model that
    /// serves again after a roll-back or a pin predicts images it predicted before, and whose
    /// newest prediction is now another model's: that is a new fact, named after the head it
    /// extends (a retried append that failed sees the same head, so the name stays stable).
    func predictionEventID(_ made: PredictionMade) throws -> String {
        let base = "prediction:\(made.image):\(made.model)"
        guard try ledger.seq(ofEventID: base) != nil,
              let image = try projections.image(sha: made.image), image.predictionModel != made.model
        else { return base }
        return "\(base):\(try ledger.head().seq + 1)"
    }

    /// Removes from predictions/ the masks of images an expert has corrected; their objects stay.
    /// Returns how many files were removed.
    @discardableResult
    package func clearPredictionsOfCorrectedImages() throws -> Int {
        try projections.images(state: .corrected).reduce(0) { $0 + (try removePredictionFiles(of: $1)) }
    }

    /// Removes the image's mask and probability map from predictions/, so a pipeline reading
    /// that folder never takes a prediction the expert has already replaced. Returns how many
    /// files were removed.
    @discardableResult
    func removePredictionFiles(ofImage sha: String) throws -> Int {
        guard let image = try projections.image(sha: sha) else { return 0 }
        return try removePredictionFiles(of: image)
    }

    private func removePredictionFiles(of image: ImageRecord) throws -> Int {
        let stem = try predictionFileName(for: image)
        return [".png", ".prob.png"].filter { unlink("\(predictions)/\(stem)\($0)") == 0 }.count
    }

    /// Where the image's newest prediction is written.
    package func predictionPath(for image: ImageRecord) throws -> String {
        "\(predictions)/\(try predictionFileName(for: image)).png"
    }

    /// The original name without its image extensions; images sharing a stem get their hash
    /// prefix appended so one never overwrites another's prediction.
    func predictionFileName(for image: ImageRecord) throws -> String {
        var stem = image.name
        while let dot = stem.lastIndex(of: "."), CorrectionMatcher.imageExtensions.contains(stem[stem.index(after: dot)...].lowercased()) {
            stem = String(stem[..<dot])
        }
        let namesakes = try projections.images(stem: stem)
        // Printable and short: a 251-byte name plus ".prob.png" would not fit in a file name.
        return SafeName.make(namesakes.count > 1 ? "\(stem)-\(image.sha.prefix(12))" : stem)
    }
}
