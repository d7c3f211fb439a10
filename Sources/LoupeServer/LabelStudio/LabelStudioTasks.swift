import Foundation
import LoupeDaemon
import LoupeLab

/// A Label Studio task's image in this lab: found through its link, or fetched from Label
/// Studio and taken through the gateway as an upload is (same examination, same events, same
/// refusals into rejected/), linked to the task in the same step on the loop.
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
        let client = connection.client(settings: api.settings.labelStudio)
        let limit = api.settings.uploadLimit
        let name = Self.fileName(reference, task: task.id)
        let taken = try await api.gateway.takeImage(linking: Gateway.TaskLink(project: task.project, task: task.id, source: reference)) { folder in
            let path = "\(folder)/\(name)"
            try await client.downloadImage(reference, to: path, limit: limit)
            return path
        }
        return try api.readers.read { try $0.image(named: taken.sha) }
    }

    /// The reference's last path part (Label Studio's upload name), or `task-ID.png`.
    static func fileName(_ reference: String, task: Int) -> String {
        let path = URLComponents(string: reference)?.path ?? reference
        let last = path.split(separator: "/").last.map(String.init) ?? ""
        return (try? Gateway.fileName(last)) ?? "task-\(task).png"
    }
}
