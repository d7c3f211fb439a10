import LoupeLab

extension Workspace {
    /// How many corrections each image has had, from every annotator.
    func correctionCounts() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        try forEachEvent(type: .correctionAccepted) { row in
            if case .correctionAccepted(let event) = try row.decoded() { counts[event.image, default: 0] += 1 }
        }
        return counts
    }
}
