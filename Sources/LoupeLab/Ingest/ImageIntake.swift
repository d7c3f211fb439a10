import Foundation
import LoupeLedger
import LoupeVision

/// A dropped image after the heavy part (read, hash, decode, store): safe on any thread.
public enum ExaminedImage: Sendable, Equatable {
    case image(sha: String, width: Int, height: Int, channels: Int, bytes: Int)
    case refused(Refusal)

    /// Reads and decodes `path`, and stores its bytes in `objects` if they decode.
    public static func examine(_ path: String, objects: ObjectStore, maxDimension: Int) -> ExaminedImage {
        let bytes: [UInt8]
        do { bytes = try FileReading.bytes(path) } catch {
            return .refused(Refusal(sha: "", reason: "unreadable: \(error.localizedDescription)"))
        }
        let sha = ObjectStore.sha256(bytes)
        do {
            let image = try ImageCodec.decode(bytes, maxDimension: maxDimension)
            try objects.put(bytes, sha: sha)
            return .image(sha: sha, width: image.width, height: image.height, channels: image.channels, bytes: bytes.count)
        } catch {
            return .refused(Refusal(sha: sha, reason: "\(error)"))
        }
    }
}

extension Workspace {
    /// Ingests one image file end to end: `loupe ingest` and the daemon both come here.
    public func ingestImage(at path: String) throws -> IntakeOutcome {
        try recordImage(ExaminedImage.examine(path, objects: objects, maxDimension: settings.maxImageDimension), from: path)
    }

    /// Appends the event for an examined image, then moves the dropped file: out of the drop
    /// folder once the event is committed, or into rejected/ with its reason.
    public func recordImage(_ examined: ExaminedImage, from path: String) throws -> IntakeOutcome {
        let name = (path as NSString).lastPathComponent
        switch examined {
        case .refused(let refusal):
            return try reject(path, kind: .image, refusal: refusal)
        case .image(let sha, let width, let height, let channels, let bytes):
            let event = ImageIngested(image: sha, originalName: name, width: width, height: height, channels: channels, bytes: bytes)
            let appended = try ledger.append(PendingEvent(
                stream: "image-\(sha)", expected: .any, eventID: "image:\(sha)", event: .imageIngested(event)
            ))
            try FileReading.removeDropped(path)
            return appended.duplicate ? .alreadyKnown(sha: sha, seq: appended.seq) : .accepted(sha: sha, seq: appended.seq)
        }
    }
}
