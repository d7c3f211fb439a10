import Foundation
import LoupeLedger
import LoupeVision

/// A dropped image after the heavy part (read, hash, decode, store): safe on any thread.
package enum ExaminedImage: Sendable, Equatable {
    case image(sha: String, width: Int, height: Int, channels: Int, bytes: Int, identity: FileIdentity)
    case refused(Refusal)
    /// Not taken now (still being written, changed, a transient error); no event.
    case deferred(String)

    /// Reads and decodes `path`, and stores its bytes in `objects` if they decode.
    static func examine(_ path: String, objects: ObjectStore, maxDimension: Int, maxPixels: Int, grace: Double) -> ExaminedImage {
        let file: (bytes: [UInt8], identity: FileIdentity)
        do { file = try DropExamination.read(path) } catch {
            switch error {
            case .refused(let refusal): return .refused(refusal)
            case .deferred(let reason): return .deferred(reason)
            }
        }
        let sha = ObjectStore.sha256(file.bytes)
        do {
            let image = try ImageCodec.decode(file.bytes, maxDimension: maxDimension, maxPixels: maxPixels)
            try objects.put(file.bytes, sha: sha)
            return .image(sha: sha, width: image.width, height: image.height, channels: image.channels, bytes: file.bytes.count,
                          identity: file.identity)
        } catch {
            switch DropExamination.classify(error, sha: sha, identity: file.identity, grace: grace) {
            case .refused(let refusal): return .refused(refusal)
            case .deferred(let reason): return .deferred(reason)
            }
        }
    }
}

extension Workspace {
    /// The heavy part of taking the image at `path`, as work for another thread. `incompleteGrace`
    /// replaces the setting: 0 for a file that is complete by the time it is examined (an upload),
    /// so a truncated one is refused at once rather than waited for.
    package func imageExamination(of path: String, incompleteGrace: Double? = nil) -> @Sendable () -> ExaminedImage {
        let objects = objects
        let limit = settings.maxImageDimension, pixels = settings.maxImagePixels
        let grace = incompleteGrace ?? settings.watch.incompleteGraceSeconds
        return { ExaminedImage.examine(path, objects: objects, maxDimension: limit, maxPixels: pixels, grace: grace) }
    }

    /// Ingests one image file named by hand (`loupe ingest`), through the daemon's steps. A
    /// file outside inbox/ is copied, not moved; a missing path, a folder, a link or a path into
    /// the lab's own state throws `GivenPathError` and records nothing.
    package func ingestImage(at path: String) throws -> IntakeOutcome {
        let path = Self.absolute(path)
        let custody = try custody(ofGiven: path, dropFolder: inbox)
        return try recordImages([(imageExamination(of: path)(), path)], custody: custody)[0]
    }

    /// Appends the event for an examined image, then moves the dropped file: out of the drop
    /// folder once the event is committed, or into rejected/ with its reason. A file that is no
    /// longer the one examined (replaced at its path meanwhile) gets no event and stays.
    package func recordImage(_ examined: ExaminedImage, from path: String) throws -> IntakeOutcome {
        try recordImages([(examined, path)])[0]
    }

    /// Records many examined images with one transaction and one folder sync for all the
    /// accepted ones: a burst of drops costs two fsyncs, not two per file.
    package func recordImages(_ batch: [(examined: ExaminedImage, path: String)]) throws -> [IntakeOutcome] {
        try recordImages(batch, custody: .dropped)
    }

    func recordImages(_ batch: [(examined: ExaminedImage, path: String)], custody: Custody) throws -> [IntakeOutcome] {
        var outcomes = [IntakeOutcome?](repeating: nil, count: batch.count)
        var accepted: [(index: Int, sha: String, event: PendingEvent, identity: FileIdentity)] = []
        // Images and names this batch adds, which the projections do not hold until it commits.
        var newImages: Set<String> = []
        var newNames: Set<[String]> = []
        for (index, item) in batch.enumerated() {
            switch item.examined {
            case .refused(let refusal):
                outcomes[index] = try reject(item.path, kind: .image, refusal: refusal, custody: custody)
            case .deferred(let reason):
                outcomes[index] = .deferred(reason: reason)
            case .image(let sha, let width, let height, let channels, let bytes, let identity):
                guard FileReading.identity(at: item.path) == identity else {
                    outcomes[index] = .deferred(reason: Self.replacedReason)
                    continue
                }
                let name = (item.path as NSString).lastPathComponent
                let known = try newImages.contains(sha) || projections.image(sha: sha) != nil
                if known, try !projections.isName(name, of: sha), newNames.insert([sha, name]).inserted {
                    accepted.append((index, sha, PendingEvent(
                        stream: "image-\(sha)", expected: .any, eventID: "name:\(sha):\(name)",
                        event: .imageNamed(ImageNamed(image: sha, originalName: name))
                    ), identity))
                    continue
                }
                newImages.insert(sha)
                newNames.insert([sha, name])
                let event = ImageIngested(image: sha, originalName: name, width: width, height: height, channels: channels, bytes: bytes)
                accepted.append((index, sha, PendingEvent(
                    stream: "image-\(sha)", expected: .any, eventID: "image:\(sha)", event: .imageIngested(event)
                ), identity))
            }
        }
        let appended = try ledger.append(accepted.map(\.event))
        for (item, result) in zip(accepted, appended) {
            if result.duplicate {
                outcomes[item.index] = .alreadyKnown(sha: item.sha, seq: result.seq)
            } else if case .imageNamed = item.event.event {
                outcomes[item.index] = .anotherName(sha: item.sha, seq: result.seq)
            } else {
                outcomes[item.index] = .accepted(sha: item.sha, seq: result.seq)
            }
        }
        if custody == .dropped { try FileReading.removeDropped(accepted.map { (batch[$0.index].path, $0.identity) }) }
        return outcomes.map { $0! }
    }
}
