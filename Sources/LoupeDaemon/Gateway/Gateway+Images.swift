import Foundation
import LoupeLab

extension Gateway {
    /// A Label Studio task an image is taken for: linked to it in the same step on the loop.
    package struct TaskLink: Sendable {
        package let project: Int
        package let task: Int
        package let source: String

        package init(project: Int, task: Int, source: String) {
            self.project = project
            self.task = task
            self.source = source
        }
    }

    /// An image from a door: `receive` writes it into the staging folder it is given (an HTTP
    /// body, a download) and returns the file's path. Examined and recorded as a dropped image
    /// is, and linked to `task` when one is given.
    package func takeImage(linking task: TaskLink? = nil, receive: (String) async throws -> String) async throws -> Taken {
        let staged = try await staged(.images, receive)
        defer { staged.release() }
        let path = staged.path
        let examined = try await examine(try readers.read { $0.imageExamination(of: path, incompleteGrace: 0) })
        let outcome: IntakeOutcome
        do {
            outcome = try await mailbox.perform { context in
                let outcome = try context.workspace.recordImages([(examined, path)])[0]
                if let task, let sha = outcome.takenSHA {
                    try context.workspace.linkLabelStudioTask(
                        LabelStudioTaskLinked(project: task.project, task: task.task, image: sha, source: task.source))
                }
                return outcome
            }
        } catch where TransientFault.contains(error) {
            throw deferred(staged, kind: .images, what: "image", reason: "\(error)")
        }
        return try answer(outcome, staged: staged, kind: .images, what: task.map { "task \($0.task)'s image" } ?? "image")
    }
}

extension IntakeOutcome {
    /// The SHA of what was taken; nil for a file refused or left for later.
    var takenSHA: String? {
        switch self {
        case .accepted(let sha, _), .anotherName(let sha, _), .alreadyKnown(let sha, _): sha
        case .rejected, .deferred: nil
        }
    }
}
