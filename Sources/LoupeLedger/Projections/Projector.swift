/// Folds one event into the projection tables. The same code serves live appends and replay,
/// which is what makes `replay --check` meaningful.
struct Projector {
    let connection: Connection

    func apply(_ event: LedgerEvent, seq: Int) throws {
        switch event {
        case .imageIngested(let e):
            try run("INSERT INTO images (sha, name, width, height, channels, bytes, ingested_seq, state) VALUES (?,?,?,?,?,?,?, 'pending')",
                    e.image, e.originalName, e.width, e.height, e.channels, e.bytes, seq)
        case .imageRejected(let e):
            try reject(kind: "image", e, seq: seq)
        case .correctionRejected(let e):
            try reject(kind: "correction", e, seq: seq)
        case .predictionMade(let e):
            try run("""
                UPDATE images SET prediction_seq = ?, prediction_model = ?, prediction_mask = ?, uncertainty = ?, vessel_fraction = ?,
                    state = CASE state WHEN 'corrected' THEN 'corrected' ELSE 'predicted' END
                WHERE sha = ?
                """, seq, e.model, e.mask, e.uncertainty, e.vesselFraction, e.image)
        case .correctionAccepted(let e):
            try run("UPDATE images SET correction_seq = ?, correction_mask = ?, annotator = ?, state = 'corrected' WHERE sha = ?",
                    seq, e.mask, e.annotator, e.image)
        case .trainingStarted(let e):
            try run("INSERT INTO runs (run, started_seq, up_to_seq, status) VALUES (?,?,?, 'running')", e.run, seq, e.upToSeq)
        case .modelTrained(let e):
            try run("UPDATE runs SET status = 'trained', model = ?, ended_seq = ? WHERE run = ?", e.model, seq, e.run)
            try run("INSERT INTO models (sha, run, trained_seq, epochs, validation_dice, status, status_seq) VALUES (?,?,?,?,?, 'trained', ?) ON CONFLICT (sha) DO NOTHING",
                    e.model, e.run, seq, e.epochs, e.validationDice, seq)
        case .trainingFailed(let e):
            try run("UPDATE runs SET status = 'failed', ended_seq = ?, reason = ? WHERE run = ?", seq, e.reason, e.run)
        case .trainingAborted(let e):
            try run("UPDATE runs SET status = 'aborted', ended_seq = ?, reason = ? WHERE run = ?", seq, e.reason, e.run)
        case .modelPromoted(let e):
            try run("UPDATE models SET status = 'retired', status_seq = ? WHERE status = 'current'", seq)
            try run("UPDATE models SET status = 'current', status_seq = ? WHERE sha = ?", seq, e.model)
        case .modelRejected(let e):
            try run("UPDATE models SET status = 'rejected', status_seq = ? WHERE sha = ?", seq, e.model)
        case .daemonStarted, .daemonStopped:
            return
        }
    }

    private func reject(kind: String, _ e: FileRejected, seq: Int) throws {
        try run("INSERT INTO rejected (seq, kind, original_name, rejected_path, reason) VALUES (?,?,?,?,?)",
                seq, kind, e.originalName, e.rejectedPath, e.reason)
    }

    private func run(_ sql: String, _ values: (any SQLValue)?...) throws {
        let statement = try connection.cached(sql)
        for (offset, value) in values.enumerated() {
            try statement.bind(value, at: Int32(offset + 1))
        }
        try statement.run()
    }

    /// The tables this projector owns, for rebuilds and comparisons.
    static let tables = ["images", "runs", "models", "rejected"]
}
