import Foundation
import LoupeLedger
import LoupeVision

/// A corrected mask after the heavy part (decode, binarise, compare, store): safe on any thread.
package enum ExaminedCorrection: Sendable, Equatable {
    case mask(CorrectionAccepted, identity: FileIdentity)
    case refused(Refusal)
    /// Not taken now (still being written, changed, a transient error); no event.
    case deferred(String)

    /// Checks the mask against the image it was matched to, binarises it at 128, counts the
    /// pixels changed from the prediction the expert started from, measures its Dice with
    /// another annotator's earlier mask, and stores both the dropped bytes and the binarised
    /// mask. JPEG is refused before decoding: its compression leaves grey fringes that
    /// binarising would turn into vessel edges nobody drew.
    static func examine(
        _ path: String, target: CorrectionTarget, objects: ObjectStore, maxDimension: Int, maxPixels: Int, grace: Double
    ) -> ExaminedCorrection {
        let name = (path as NSString).lastPathComponent
        let file: (bytes: [UInt8], identity: FileIdentity)
        do { file = try DropExamination.read(path) } catch {
            switch error {
            case .refused(let refusal): return .refused(refusal)
            case .deferred(let reason): return .deferred(reason)
            }
        }
        let bytes = file.bytes
        let source = ObjectStore.sha256(bytes)
        let refuse = { (reason: String) in ExaminedCorrection.refused(Refusal(sha: source, reason: reason, identity: file.identity)) }
        guard !ImageCodec.isJPEG(bytes) else {
            return refuse("mask is a JPEG: lossy masks are not accepted, since compression blurs vessel edges; save it as PNG")
        }
        do {
            let (decoded, translucent) = BinaryMask.colour(of: try ImageCodec.decode(bytes, maxDimension: maxDimension, maxPixels: maxPixels))
            let image = target.image
            guard translucent == 0 else {
                return refuse("mask is not fully opaque (\(translucent) pixels have alpha below 255); save it without transparency")
            }
            guard decoded.width == image.width, decoded.height == image.height else {
                return refuse("mask is \(decoded.width)x\(decoded.height) but image \(image.name) is \(image.width)x\(image.height)")
            }
            let binary = BinaryMask(decoded)
            var changed: Int?
            if let predicted = target.basedOnMask {
                changed = binary.differences(from: BinaryMask(try ImageCodec.decode(try objects.read(predicted))))
            }
            // Agreement is a note on the correction, not a condition of it: an earlier mask that
            // cannot be read (`loupe verify` reports it) leaves the note out, not the mask.
            let disagreement = target.previous.flatMap { previous in
                (try? ImageCodec.decode(objects.read(previous.mask))).map { earlier in
                    Disagreement(annotator: previous.annotator, mask: previous.mask, dice: binary.dice(with: BinaryMask(earlier)))
                }
            }
            let making = try target.making.map { try $0.accounted(for: binary, image: image, basedOnMask: target.basedOnMask, objects: objects) }
            let mask = try objects.put(try ImageCodec.encodePNG(binary.raster))
            try objects.put(bytes, sha: source)
            return .mask(CorrectionAccepted(
                image: image.sha, mask: mask, source: source, originalName: name, annotator: target.annotator,
                basedOnModel: target.basedOnModel, basedOnMask: target.basedOnMask, pixelsChanged: changed,
                vesselPixels: binary.foreground, nonBinaryPixels: binary.nonBinary, disagreement: disagreement, making: making
            ), identity: file.identity)
        } catch {
            switch DropExamination.classify(error, sha: source, identity: file.identity, grace: grace) {
            case .refused(let refusal): return .refused(refusal)
            case .deferred(let reason): return .deferred(reason)
            }
        }
    }
}

extension ExaminedCorrection {
    /// The one quiet-period rule for every door: a readable mask restarts the wait before a
    /// retraining whether or not it is taken (a repeat is known already), because an expert who
    /// is still sending masks is still at work; a refused file or one left for later does not.
    package var restartsQuietPeriod: Bool {
        if case .mask = self { return true }
        return false
    }
}

extension Workspace {
    /// The heavy part of taking the mask at `path` for the image it matched, as work for
    /// another thread. The mask counts as drawn on the image's newest prediction.
    package func correctionExamination(of path: String, match: CorrectionMatch) -> @Sendable () -> ExaminedCorrection {
        examination(of: path, target: CorrectionTarget(
            image: match.image, annotator: match.annotator, basedOnModel: match.image.predictionModel,
            basedOnMask: match.image.predictionMask, previous: match.previous
        ))
    }

    func examination(of path: String, target: CorrectionTarget, incompleteGrace: Double? = nil) -> @Sendable () -> ExaminedCorrection {
        let objects = objects
        let limit = settings.maxImageDimension, pixels = settings.maxImagePixels
        let grace = incompleteGrace ?? settings.watch.incompleteGraceSeconds
        return { ExaminedCorrection.examine(path, target: target, objects: objects, maxDimension: limit, maxPixels: pixels, grace: grace) }
    }

    /// Ingests one corrected mask end to end: `loupe ingest --corrections` and the daemon.
    package func ingestCorrection(at path: String, explicitImage: String? = nil) throws -> IntakeOutcome {
        // Absolute, so the folder synced after the move is never "" for a bare file name.
        let path = Self.absolute(path)
        let custody = try custody(ofGiven: path, dropFolder: corrections)
        switch try matchCorrection(at: path, explicitImage: explicitImage) {
        case .failure(let refusal):
            return try recordCorrection(.refused(refusal), from: path, custody: custody)
        case .success(let match):
            let examined = correctionExamination(of: path, match: match)()
            return try recordCorrection(examined, from: path, custody: custody)
        }
    }

    /// Cheap: a name lookup in the projections, done before the heavy examination.
    package func matchCorrection(at path: String, explicitImage: String? = nil) throws -> Result<CorrectionMatch, Refusal> {
        var result = try CorrectionMatcher.match(fileName: (path as NSString).lastPathComponent, explicit: explicitImage, in: projections)
        if case .success(var match) = result {
            match.previous = try previousCorrection(ofImage: match.image.sha, notBy: match.annotator)
            result = .success(match)
        }
        if case .failure(var refusal) = result, let file = try? FileReading.read(path) {
            refusal.sha = ObjectStore.sha256(file.bytes)
            refusal.identity = file.identity
            result = .failure(refusal)
        }
        return result
    }

    /// The same mask for the same image is one correction per annotator: a second annotator
    /// who draws exactly what the first drew is a second (agreeing) correction, not a
    /// duplicate. Unnamed corrections keep the id they always had.
    static func correctionEventID(_ accepted: CorrectionAccepted) -> String {
        let base = "correction:\(accepted.image):\(accepted.mask)"
        return accepted.annotator.map { "\(base):by:\($0)" } ?? base
    }

    package func recordCorrection(_ examined: ExaminedCorrection, from path: String) throws -> IntakeOutcome {
        try recordCorrection(examined, from: path, custody: .dropped)
    }

    func recordCorrection(_ examined: ExaminedCorrection, from path: String, custody: Custody) throws -> IntakeOutcome {
        switch examined {
        case .refused(let refusal):
            return try reject(path, kind: .correction, refusal: refusal, custody: custody)
        case .deferred(let reason):
            return .deferred(reason: reason)
        case .mask(let accepted, let identity):
            guard FileReading.identity(at: path) == identity else { return .deferred(reason: Self.replacedReason) }
            let appended = try ledger.append(PendingEvent(
                stream: "image-\(accepted.image)", expected: .any, eventID: Self.correctionEventID(accepted),
                event: .correctionAccepted(accepted)
            ))
            try removePredictionFiles(ofImage: accepted.image)
            if custody == .dropped { try FileReading.removeDropped([(path, identity)]) }
            return appended.duplicate
                ? .alreadyKnown(sha: accepted.mask, seq: appended.seq)
                : .accepted(sha: accepted.mask, seq: appended.seq)
        }
    }
}
