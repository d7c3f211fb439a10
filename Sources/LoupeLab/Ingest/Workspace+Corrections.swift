import LoupeLedger

extension Workspace {
    /// Every correction of the image, oldest first; all are kept, whichever one trains
    /// (`corrections.train`).
    package func corrections(ofImage sha: String) throws -> [CorrectionRecord] {
        try ledger.events(inStream: "image-\(sha)", type: .correctionAccepted).compactMap { row in
            guard case .correctionAccepted(let accepted) = try row.decoded() else { return nil }
            return CorrectionRecord(seq: row.seq, at: row.at, accepted)
        }
    }

    /// How many corrections each image has, by image SHA-256; images without one are absent.
    package func correctionCounts() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for (stream, count) in try ledger.countsByStream(of: .correctionAccepted) where stream.hasPrefix("image-") {
            counts[String(stream.dropFirst("image-".count))] = count
        }
        return counts
    }

    /// The heavy part of taking the mask at `path` as `annotator`'s correction of image `image`
    /// (its full SHA-256), drawn on `basedOnModel`'s prediction of it (nil: drawn without
    /// one), as work for another thread; record its result with `recordCorrection(_:from:)`.
    /// This is the HTTP door's way in, where the annotator comes from the token rather than
    /// the file name. Throws, before any work, for an unknown image or a model that never
    /// predicted it. An upload is complete when it arrives, so a truncated one is refused at
    /// once (`incompleteGrace` 0), not waited for.
    ///
    ///     let work = try lab.correctionExamination(of: upload, image: sha, annotator: "ana", basedOnModel: model)
    ///     let outcome = try lab.recordCorrection(work(), from: upload)   // work() off the loop
    package func correctionExamination(
        of path: String, image sha: String, annotator: String?, basedOnModel: String?, making: CorrectionMaking? = nil,
        incompleteGrace: Double? = nil
    ) throws -> @Sendable () -> ExaminedCorrection {
        guard let image = try projections.image(sha: sha) else { throw CorrectionError.unknownImage(sha) }
        if let making { try check(making, image: image) }
        var basedOnMask: String?
        if let model = basedOnModel {
            guard let made = try prediction(ofImage: sha, by: model) else { throw CorrectionError.notPredictedBy(model: model, image: sha) }
            basedOnMask = made.mask
        }
        return examination(of: path, target: CorrectionTarget(
            image: image, annotator: annotator, basedOnModel: basedOnModel, basedOnMask: basedOnMask,
            previous: try previousCorrection(ofImage: sha, notBy: annotator), making: making
        ), incompleteGrace: incompleteGrace)
    }

    /// The image's latest correction by an annotator other than `annotator`.
    func previousCorrection(ofImage sha: String, notBy annotator: String?) throws -> PreviousCorrection? {
        try corrections(ofImage: sha).last { $0.annotator != annotator }.map { PreviousCorrection(annotator: $0.annotator, mask: $0.mask) }
    }
}
