/// Read side of the operator tables: annotators and training controls.
extension Projections {
    /// Every annotator, in the order they were first added.
    package func annotators() throws -> [AnnotatorRecord] {
        let statement = try connection.cached("SELECT name, added_seq, token_seq, role FROM annotators ORDER BY added_seq")
        var records: [AnnotatorRecord] = []
        while try statement.step() {
            records.append(AnnotatorRecord(name: statement.text(0), addedSeq: statement.int(1), tokenSeq: statement.int(2), role: statement.text(3)))
        }
        return records
    }

    /// The annotator whose current token, or a session started with a login code since that
    /// token was issued, hashes to `tokenSHA256`; nil for an unknown or replaced token. Looked
    /// up by the hash through its index, so no name is compared.
    package func annotator(tokenSHA256: String) throws -> (name: String, role: String)? {
        let statement = try connection.cached("""
            SELECT name, role FROM annotators WHERE token_sha256 = ?1
            UNION ALL
            SELECT a.name, a.role FROM sessions s JOIN annotators a ON a.name = s.name WHERE s.token_sha256 = ?1 AND s.seq > a.token_seq
            """)
        defer { statement.reset() }
        try statement.bind(tokenSHA256)
        return try statement.step() ? (statement.text(0), statement.text(1)) : nil
    }

    package func controls() throws -> ControlsRecord {
        let statement = try connection.cached("SELECT paused, pinned_model, training_requested_seq FROM controls WHERE id = 1")
        defer { statement.reset() }
        guard try statement.step() else { return ControlsRecord(paused: false, pinnedModel: nil, trainingRequestedSeq: nil) }
        return ControlsRecord(
            paused: statement.int(0) != 0, pinnedModel: statement.optionalText(1), trainingRequestedSeq: statement.optionalInt(2)
        )
    }
}

package struct AnnotatorRecord: Sendable, Equatable, Codable {
    package var name: String
    /// The AnnotatorAdded that first named them, and the one that issued the current token.
    package var addedSeq: Int
    package var tokenSeq: Int
    package var role: String
}

/// The operator's standing decisions about training.
package struct ControlsRecord: Sendable, Equatable, Codable {
    package var paused: Bool
    package var pinnedModel: String?
    /// The TrainingRequested not yet answered by a TrainingStarted.
    package var trainingRequestedSeq: Int?
}

extension Projections {
    /// The image Label Studio's `task` in `project` shows, if it was linked.
    package func labelStudioImage(project: Int, task: Int) throws -> String? {
        let statement = try connection.cached("SELECT image FROM label_studio_tasks WHERE project = ? AND task = ?")
        defer { statement.reset() }
        try statement.bind(project, task)
        return try statement.step() ? statement.text(0) : nil
    }
}
