import Foundation
import LoupeLedger
import LoupeVision

/// A dropped image after the heavy part (read, hash, decode, store): safe on any thread.
public enum ExaminedImage: Sendable, Equatable {
    case image(sha: String, width: Int, height: Int, channels: Int, bytes: Int)
    case refused(Refusal)

    /// Reads and decodes `path`, and stores its bytes in `objects` if they decode.
    static func examine(_ path: String, objects: ObjectStore, maxDimension: Int, maxPixels: Int) -> ExaminedImage {
        let bytes: [UInt8]
        do { bytes = try FileReading.bytes(path) } catch {
            return .refused(Refusal(sha: "", reason: "unreadable: \(error.localizedDescription)"))
        }
        let sha = ObjectStore.sha256(bytes)
        do {
            let image = try ImageCodec.decode(bytes, maxDimension: maxDimension, maxPixels: maxPixels)
            try objects.put(bytes, sha: sha)
            return .image(sha: sha, width: image.width, height: image.height, channels: image.channels, bytes: bytes.count)
        } catch {
            return .refused(Refusal(sha: sha, reason: "\(error)"))
        }
    }
}

extension Workspace {
    /// The heavy part of taking the image at `path`, as work for another thread.
    public func imageExamination(of path: String) -> @Sendable () -> ExaminedImage {
        let objects = objects
        let limit = settings.maxImageDimension, pixels = settings.maxImagePixels
        return { ExaminedImage.examine(path, objects: objects, maxDimension: limit, maxPixels: pixels) }
    }

    /// Ingests one image file end to end: `loupe ingest` and the daemon both come here.
    public func ingestImage(at path: String) throws -> IntakeOutcome {
        let path = Self.absolute(path)
        return try recordImage(ExaminedImage.examine(path, objects: objects, maxDimension: settings.maxImageDimension, maxPixels: settings.maxImagePixels), from: path)
    }

    /// Appends the event for an examined image, then moves the dropped file: out of the drop
    /// folder once the event is committed, or into rejected/ with its reason.
    public func recordImage(_ examined: ExaminedImage, from path: String) throws -> IntakeOutcome {
        try recordImages([(examined, path)])[0]
    }

    /// Records many examined images with one transaction and one folder sync for all the
    /// accepted ones: a burst of drops costs two fsyncs, not two per file.
    public func recordImages(_ batch: [(examined: ExaminedImage, path: String)]) throws -> [IntakeOutcome] {
        var outcomes = [IntakeOutcome?](repeating: nil, count: batch.count)
        var accepted: [(index: Int, sha: String, event: PendingEvent)] = []
        for (index, item) in batch.enumerated() {
            switch item.examined {
            case .refused(let refusal):
                outcomes[index] = try reject(item.path, kind: .image, refusal: refusal)
            case .image(let sha, let width, let height, let channels, let bytes):
                let name = (item.path as NSString).lastPathComponent
                let event = ImageIngested(image: sha, originalName: name, width: width, height: height, channels: channels, bytes: bytes)
                accepted.append((index, sha, PendingEvent(
                    stream: "image-\(sha)", expected: .any, eventID: "image:\(sha)", event: .imageIngested(event)
                )))
            }
        }
        let appended = try ledger.append(accepted.map(\.event))
        for (item, result) in zip(accepted, appended) {
            outcomes[item.index] = result.duplicate
                ? .alreadyKnown(sha: item.sha, seq: result.seq)
                : .accepted(sha: item.sha, seq: result.seq)
        }
        try FileReading.removeDropped(accepted.map { batch[$0.index].path })
        return outcomes.map { $0! }
    }
}
