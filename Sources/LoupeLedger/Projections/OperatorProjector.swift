/// Folds the operator's events (annotators and their tokens, training controls, pins) into
/// their tables; `Projector` hands them over. Statements are prepared once, as there.
///
/// `controls` has at most one row: each control upserts it, so a lab whose log never held a
/// control has no row, live and replayed alike.
final class OperatorProjector {
    private let addAnnotator, request, consumeRequest, pause, pin: Statement

    init(connection: Connection) throws {
        // A new token for a known name replaces its hash and role; added_seq stays the first one.
        addAnnotator = try connection.prepare("""
            INSERT OR ROLLBACK INTO annotators (name, token_sha256, added_seq, token_seq, role) VALUES (?1, ?2, ?3, ?3, ?4)
            ON CONFLICT (name) DO UPDATE SET token_sha256 = excluded.token_sha256, token_seq = excluded.token_seq, role = excluded.role
            """)
        request = try connection.prepare("""
            INSERT OR ROLLBACK INTO controls (id, training_requested_seq) VALUES (1, ?1)
            ON CONFLICT (id) DO UPDATE SET training_requested_seq = excluded.training_requested_seq
            """)
        consumeRequest = try connection.prepare(
            "UPDATE OR ROLLBACK controls SET training_requested_seq = NULL WHERE training_requested_seq IS NOT NULL")
        pause = try connection.prepare("""
            INSERT OR ROLLBACK INTO controls (id, paused) VALUES (1, ?1)
            ON CONFLICT (id) DO UPDATE SET paused = excluded.paused
            """)
        pin = try connection.prepare("""
            INSERT OR ROLLBACK INTO controls (id, pinned_model) VALUES (1, ?1)
            ON CONFLICT (id) DO UPDATE SET pinned_model = excluded.pinned_model
            """)
    }

    func annotatorAdded(_ e: AnnotatorAdded, seq: Int) throws {
        try addAnnotator.set(e.name, at: 1)
        try addAnnotator.set(e.tokenSHA256, at: 2)
        try addAnnotator.set(seq, at: 3)
        try addAnnotator.set(e.role ?? "annotator", at: 4)
        try addAnnotator.execute()
    }

    func trainingRequested(seq: Int) throws {
        try request.set(seq, at: 1)
        try request.execute()
    }

    /// A training started: the request, if any, is answered.
    func trainingStarted() throws {
        try consumeRequest.execute()
    }

    func paused(_ paused: Bool) throws {
        try pause.set(paused ? 1 : 0, at: 1)
        try pause.execute()
    }

    func pinned(_ model: String?) throws {
        try pin.set(model, at: 1)
        try pin.execute()
    }

    static let tables = ["annotators", "controls"]
}
