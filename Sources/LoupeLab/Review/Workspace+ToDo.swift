import LoupeLedger

extension Workspace {
    /// What annotators take next: images whose correction a reviewer sent back, oldest verdict
    /// first (someone already worked on them, and the note says what is missing), then the
    /// annotation queue, both without images skipped or flagged and without `excluded` (those
    /// another annotator holds). The daemon's prediction order is the annotation queue's
    /// alone: a skipped image is still predicted.
    package func toDo(strategy: QueueStrategy? = nil, limit: Int, excluding excluded: Set<String>) throws -> (images: [ImageRecord], total: Int) {
        let marks = try projections.marks()
        let returned = try projections.reviews()
            .filter { $0.value.verdict == "sent_back" && marks[$0.key] == nil && !excluded.contains($0.key) }
            .sorted { $0.value.seq < $1.value.seq }
            .compactMap { try projections.image(sha: $0.key) }
        let queue = try annotationQueue(strategy: strategy, limit: limit, excluding: excluded.union(marks.keys))
        return (Array((returned + queue.images).prefix(limit)), returned.count + queue.total)
    }
}
