import Foundation
import LoupeLab

/// A Label Studio task's image in this lab: found through its link, or fetched from Label
/// Studio and taken exactly as an upload is (same examination, same events, same refusals into
/// rejected/), then linked to the task in the same step on the loop.
struct LabelStudioTasks: Sendable {
    let api: LabAPI
    let connection: LabelStudioConnection

    struct TaskReference: Sendable {
        let project: Int
        let id: Int
        /// The task's image reference, from its data field; nil when the field is missing.
        let reference: String?
    }

    /// The task's image, fetching and ingesting it the first time.
    func image(of task: TaskReference) async throws -> ImageRecord {
        if let linked = try api.readers.read({ try $0.labelStudioImage(project: task.project, task: task.id) }) { return linked }
        guard let reference = task.reference, !reference.isEmpty else {
            throw LabelStudioError.unknownTask("task \(task.id) of project \(task.project) has no image in its data and was never linked")
        }
        let limit = api.settings.uploadLimit
        let staged = try api.staging.prepare(kind: .images, name: Self.fileName(reference, task: task.id))
        do {
            try await connection.client(settings: api.settings.labelStudio).downloadImage(reference, to: staged.path, limit: limit)
        } catch {
            staged.discard()
            throw error
        }
        defer { staged.release() }
        let examined = try api.readers.read { $0.imageExamination(of: staged.path, incompleteGrace: 0) }()
        let path = staged.path
        let (project, id) = (task.project, task.id)
        let outcome = try await api.mailbox.perform { context in
            let outcome = try context.workspace.recordImages([(examined, path)])[0]
            switch outcome {
            case .accepted(let sha, _), .anotherName(let sha, _), .alreadyKnown(let sha, _):
                try context.workspace.linkLabelStudioTask(LabelStudioTaskLinked(project: project, task: id, image: sha, source: reference))
            case .rejected, .deferred:
                break
            }
            return outcome
        }
        switch outcome {
        case .accepted(let sha, _), .anotherName(let sha, _), .alreadyKnown(let sha, _):
            return try api.readers.read { try $0.image(named: sha) }
        case .rejected(let reason, let movedTo):
            throw APIError(.unprocessableContent, "rejected", "task \(task.id)'s image refused: \(reason)", rejectedPath: movedTo)
        case .deferred(let reason):
            let moved = api.staging.handOver(staged, kind: .images, lab: api.readers.lab)
            throw APIError(.serviceUnavailable, "unavailable",
                           "task \(task.id)'s image not taken now (\(reason)); moved to \(moved ?? staged.path) for the daemon to take later")
        }
    }

    /// The reference's last path part (Label Studio's upload name), or `task-ID.png`.
    static func fileName(_ reference: String, task: Int) -> String {
        let path = URLComponents(string: reference)?.path ?? reference
        let last = path.split(separator: "/").last.map(String.init) ?? ""
        return (try? UploadStaging.checked(last)) ?? "task-\(task).png"
    }
}
