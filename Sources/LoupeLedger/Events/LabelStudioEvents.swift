/// A Label Studio task whose image is this lab's `image`: how an annotation arriving from
/// Label Studio finds its image, and how an auditor traces a label back to the task it was
/// drawn on. Stream `label-studio`. Linking a task again to another image (its data changed)
/// is a new event; the projection keeps the newest.
public struct LabelStudioTaskLinked: Codable, Sendable, Equatable {
    /// Label Studio's project id.
    public var project: Int
    public var task: Int
    public var image: String
    /// The task's image reference as Label Studio gave it, e.g. `/data/upload/3/ab12-im0.png`.
    public var source: String

    public init(project: Int, task: Int, image: String, source: String) {
        self.project = project
        self.task = task
        self.image = image
        self.source = source
    }
}
