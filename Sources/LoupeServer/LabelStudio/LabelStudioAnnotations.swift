import Foundation
import LoupeDaemon
import LoupeLab
import Synchronization

/// An annotation submitted in Label Studio, taken as a correction of its task's image: the
/// brush RLE decoded to a mask and handed to the gateway as `IMAGE.ANNOTATOR.png`, like an
/// uploaded correction. An RLE that cannot be decoded is refused like an unreadable dropped file:
/// the annotation's JSON goes to rejected/ with the reason and a CorrectionRejected event.
///
/// Who corrected is the credential's: the annotator whose token Label Studio presents. Only an
/// open lab, which has no tokens and so no one to impersonate, names Label Studio's user
/// (`completed_by`) instead. Claims hold as on the API: an image another annotator holds is refused.
struct LabelStudioAnnotations: Sendable {
    let api: LabAPI
    let connection: LabelStudioConnection
    let tasks: LabelStudioTasks
    let users: LabelStudioUsers

    struct Taken: Encodable {
        let task: Int
        let image: String
        let annotator: String
        let outcome: String
        let seq: Int
    }

    func take(annotation: LabelStudioAnnotation, task: LabelStudioTasks.TaskReference, raw: [UInt8], caller: Caller) async throws -> Taken {
        let config = try connection.config(project: task.project)
        let image = try await tasks.image(of: task)
        let annotator: String
        if let named = caller.annotator {
            annotator = named
        } else {
            annotator = await users.annotator(annotation.completedBy?.value ?? 0, client: connection.client(settings: api.settings.labelStudio))
        }
        if let claim = api.claims.current()[image.sha], claim.annotator != annotator {
            throw APIError(.conflict, "claimed", "\(image.name) is being corrected by \(claim.annotator)")
        }
        let stem = (image.name as NSString).deletingPathExtension
        let results = annotation.result ?? []
        let mask: MaskPixels
        do {
            mask = try BrushResult.mask(from: results, config: config, width: image.width, height: image.height)
        } catch {
            let annotationID = annotation.id ?? 0
            try await api.gateway.refuse(raw, name: "\(stem).task-\(task.id).annotation-\(annotationID).json", asCorrection: true,
                                         reason: "Label Studio annotation \(annotationID) of task \(task.id): \(error.description)")
        }
        let taken = try await api.gateway.takeCorrection(
            of: image, annotator: annotator, basedOnModel: image.predictionModel, bytes: try mask.png(), name: "\(stem).\(annotator).png")
        return Taken(task: task.id, image: image.sha, annotator: annotator, outcome: taken.how == .accepted ? "accepted" : "alreadyKnown", seq: taken.seq)
    }
}

/// Label Studio users as Loupe annotators: `ls-ID-NAME`, NAME the user's e-mail address or user
/// name cut to the characters annotator names allow, looked up once per user.
final class LabelStudioUsers: Sendable {
    private let names = Mutex<[Int: String]>([:])

    func annotator(_ id: Int, client: LabelStudioClient) async -> String {
        if let known = names.withLock({ $0[id] }) { return known }
        var name = "ls-\(id)"
        if let found = await client.userName(id) {
            name = Self.annotatorName(id: id, user: found)
            names.withLock { $0[id] = name }
        }
        return name
    }

    static func annotatorName(id: Int, user: String) -> String {
        let local = user.split(separator: "@").first.map(String.init) ?? user
        let kept = String(local.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "." || scalar == "_" || scalar == "-")
                ? Character(scalar) : "-"
        })
        return String("ls-\(id)-\(kept)".prefix(AnnotatorName.maxLength))
    }
}
