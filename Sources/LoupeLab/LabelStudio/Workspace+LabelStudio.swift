import LoupeLedger

extension Workspace {
    /// Records that a Label Studio task shows `link.image`, which must be in the lab. The same
    /// link again is one event (a retried webhook); the task linked to another image is a new one.
    /// Returns the event's seq.
    @discardableResult
    package func linkLabelStudioTask(_ link: LabelStudioTaskLinked) throws -> Int {
        guard try projections.image(sha: link.image) != nil else { throw LookupError.noImage(link.image) }
        var eventID = "label-studio:\(link.project):\(link.task):\(link.image)"
        // Linked back to an image it showed before: a new fact, named after the head it extends.
        if try ledger.seq(ofEventID: eventID) != nil,
           let current = try projections.labelStudioImage(project: link.project, task: link.task), current != link.image {
            eventID += ":\(try ledger.head().seq + 1)"
        }
        return try ledger.append(PendingEvent(stream: "label-studio", expected: .any, eventID: eventID, event: .labelStudioTaskLinked(link))).seq
    }

    /// The image Label Studio's task shows, if it was linked.
    package func labelStudioImage(project: Int, task: Int) throws -> ImageRecord? {
        guard let sha = try projections.labelStudioImage(project: project, task: task) else { return nil }
        return try projections.image(sha: sha)
    }
}
