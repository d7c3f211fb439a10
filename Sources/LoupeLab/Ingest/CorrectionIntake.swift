import Foundation
import LoupeLedger
import LoupeVision

/// A corrected mask after the heavy part (decode, binarise, compare, store): safe on any thread.
public enum ExaminedCorrection: Sendable, Equatable {
    case mask(CorrectionAccepted)
    case refused(Refusal)

    /// Checks the mask against the image it was matched to, binarises it at 128, counts the
    /// pixels changed from the prediction the expert started from, and stores both the
    /// dropped bytes and the binarised mask.
    static func examine(_ path: String, match: CorrectionMatch, objects: ObjectStore, maxDimension: Int) -> ExaminedCorrection {
        let name = (path as NSString).lastPathComponent
        let bytes: [UInt8]
        do { bytes = try FileReading.bytes(path) } catch {
            return .refused(Refusal(sha: "", reason: "unreadable: \(error.localizedDescription)"))
        }
        let source = ObjectStore.sha256(bytes)
        do {
            let decoded = try ImageCodec.decode(bytes, maxDimension: maxDimension)
            let image = match.image
            guard decoded.channels == 1 || decoded.channels == 3 else {
                return .refused(Refusal(sha: source, reason: "mask has \(decoded.channels) channels; give a single-channel or RGB image"))
            }
            guard decoded.width == image.width, decoded.height == image.height else {
                return .refused(Refusal(
                    sha: source,
                    reason: "mask is \(decoded.width)x\(decoded.height) but image \(image.name) is \(image.width)x\(image.height)"
                ))
            }
            let binary = BinaryMask(decoded)
            var changed: Int?
            if let predicted = image.predictionMask {
                changed = binary.differences(from: BinaryMask(try ImageCodec.decode(try objects.read(predicted))))
            }
            let mask = try objects.put(try ImageCodec.encodePNG(binary.raster))
            try objects.put(bytes, sha: source)
            return .mask(CorrectionAccepted(
                image: image.sha, mask: mask, source: source, originalName: name, annotator: match.annotator,
                basedOnModel: image.predictionModel, basedOnMask: image.predictionMask, pixelsChanged: changed,
                vesselPixels: binary.foreground, nonBinaryPixels: binary.nonBinary
            ))
        } catch {
            return .refused(Refusal(sha: source, reason: "\(error)"))
        }
    }
}

extension Workspace {
    /// The heavy part of taking the mask at `path` for the image it matched, as work for
    /// another thread.
    public func correctionExamination(of path: String, match: CorrectionMatch) -> @Sendable () -> ExaminedCorrection {
        let objects = objects
        let limit = settings.maxImageDimension
        return { ExaminedCorrection.examine(path, match: match, objects: objects, maxDimension: limit) }
    }

    /// Ingests one corrected mask end to end: `loupe ingest --corrections` and the daemon.
    public func ingestCorrection(at path: String, explicitImage: String? = nil) throws -> IntakeOutcome {
        // Absolute, so the folder synced after the move is never "" for a bare file name.
        let path = Self.absolute(path)
        switch try matchCorrection(at: path, explicitImage: explicitImage) {
        case .failure(let refusal):
            return try recordCorrection(.refused(refusal), from: path)
        case .success(let match):
            let examined = ExaminedCorrection.examine(path, match: match, objects: objects, maxDimension: settings.maxImageDimension)
            return try recordCorrection(examined, from: path)
        }
    }

    /// Cheap: a name lookup in the projections, done before the heavy examination.
    public func matchCorrection(at path: String, explicitImage: String? = nil) throws -> Result<CorrectionMatch, Refusal> {
        var result = try CorrectionMatcher.match(fileName: (path as NSString).lastPathComponent, explicit: explicitImage, in: projections)
        if case .failure(var refusal) = result, let bytes = try? FileReading.bytes(path) {
            refusal.sha = ObjectStore.sha256(bytes)
            result = .failure(refusal)
        }
        return result
    }

    public func recordCorrection(_ examined: ExaminedCorrection, from path: String) throws -> IntakeOutcome {
        switch examined {
        case .refused(let refusal):
            return try reject(path, kind: .correction, refusal: refusal)
        case .mask(let accepted):
            let appended = try ledger.append(PendingEvent(
                stream: "image-\(accepted.image)", expected: .any,
                eventID: "correction:\(accepted.image):\(accepted.mask)", event: .correctionAccepted(accepted)
            ))
            try removePredictionFiles(ofImage: accepted.image)
            try FileReading.removeDropped([path])
            return appended.duplicate
                ? .alreadyKnown(sha: accepted.mask, seq: appended.seq)
                : .accepted(sha: accepted.mask, seq: appended.seq)
        }
    }
}
