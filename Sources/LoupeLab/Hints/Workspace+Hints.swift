import LoupeVision

extension Workspace {
    /// The most clicks one hint may carry: an expert clicks a few dozen times an image at most,
    /// and every click is read by every later hint of the image.
    package static let maxHintClicks = 200

    /// A hint on `image` by the serving `model`, checked and ready to run off the loop: `clicks`
    /// are every click so far in order, of which the last `newCount` (default: all) are new.
    /// `expectedModel`, when given, is the model the earlier clicks were answered by.
    /// Cheap: a few reads of the log; `HintJob.run` does the work.
    package func hintJob(
        image sha: String, clicks: [Click], newCount: Int? = nil, model: ServingModel?, expectedModel: String? = nil
    ) throws -> HintJob {
        guard let image = try projections.image(sha: sha) else { throw LookupError.noImage(sha) }
        let newCount = newCount ?? clicks.count
        try Self.check(clicks, newCount: newCount, width: image.width, height: image.height)
        guard let model else { throw HintError.noModel }
        if let expectedModel, expectedModel != model.sha { throw HintError.modelChanged(asked: expectedModel, serving: model.sha) }
        guard model.weights.config.guidance else { throw HintError.noGuidance(model: model.sha) }
        guard let prediction = try prediction(ofImage: sha, by: model.sha) else {
            throw HintError.noPrediction(image: sha, model: model.sha)
        }
        return HintJob(image: sha, model: model, prediction: prediction, clicks: clicks, newCount: newCount,
                       objects: objects, sessions: hintSessions)
    }

    /// Whether `model` was trained with guidance, and so takes hints.
    package func takesHints(model sha: String) throws -> Bool {
        try weights(of: sha).config.guidance
    }

    /// One hint, start to end, on the calling thread: for callers without a loop.
    package func hint(image sha: String, clicks: [Click], newCount: Int? = nil) throws -> HintAnswer {
        try hintJob(image: sha, clicks: clicks, newCount: newCount, model: try servingModel()).run()
    }

    static func check(_ clicks: [Click], newCount: Int, width: Int, height: Int) throws {
        guard !clicks.isEmpty else { throw HintError.badClicks("a hint needs at least one click") }
        guard clicks.count <= maxHintClicks else {
            throw HintError.badClicks("\(clicks.count) clicks: a hint takes at most \(maxHintClicks)")
        }
        guard (1...clicks.count).contains(newCount) else {
            throw HintError.badClicks("new must be between 1 and the number of clicks (\(clicks.count)), not \(newCount)")
        }
        if let outside = clicks.first(where: { !(0..<width).contains($0.x) || !(0..<height).contains($0.y) }) {
            throw HintError.badClicks("the click at (\(outside.x), \(outside.y)) lies outside the \(width)x\(height) image")
        }
    }
}
