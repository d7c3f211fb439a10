/// A Label Studio task whose image is this lab's `image`: how an annotation arriving from
/// Label Studio finds its image, and how an auditor traces a label back to the task it was
/// drawn on. Stream `label-studio`. Linking a task again to another image (its data changed)
/// is a new event; the projection keeps the newest.
package struct LabelStudioTaskLinked: Codable, Sendable, Equatable {
    /// Label Studio's project id.
    package var project: Int
    package var task: Int
    package var image: String
    /// The task's image reference as Label Studio gave it, e.g. `/data/upload/3/ab12-im0.png`.
    package var source: String

    package init(project: Int, task: Int, image: String, source: String) {
        self.project = project
        self.task = task
        self.image = image
        self.source = source
    }
}
