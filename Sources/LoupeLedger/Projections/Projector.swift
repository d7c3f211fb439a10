/// Folds one event into the projection tables. The same code serves live appends and replay,
/// which is what makes `replay --check` meaningful. Statements are prepared once: this runs
/// for every event of a replay.
final class Projector {
    private let insertImage, predict, correct, startRun, finishRun, insertModel, failRun, abortRun: Statement
    private let retireCurrent, promote, rejectModel, insertRejected: Statement

    init(connection: Connection) throws {
        insertImage = try connection.prepare(
            "INSERT INTO images (sha, name, width, height, channels, bytes, ingested_seq, state) VALUES (?,?,?,?,?,?,?, 'pending')")
        predict = try connection.prepare("""
            UPDATE images SET prediction_seq = ?, prediction_model = ?, prediction_mask = ?, uncertainty = ?, vessel_fraction = ?,
                state = CASE state WHEN 'corrected' THEN 'corrected' ELSE 'predicted' END
            WHERE sha = ?
            """)
        correct = try connection.prepare(
            "UPDATE images SET correction_seq = ?, correction_mask = ?, annotator = ?, state = 'corrected' WHERE sha = ?")
        startRun = try connection.prepare("INSERT INTO runs (run, started_seq, up_to_seq, status) VALUES (?,?,?, 'running')")
        finishRun = try connection.prepare("UPDATE runs SET status = 'trained', model = ?, ended_seq = ? WHERE run = ?")
        insertModel = try connection.prepare(
            "INSERT INTO models (sha, run, trained_seq, epochs, validation_dice, status, status_seq) VALUES (?,?,?,?,?, 'trained', ?) ON CONFLICT (sha) DO NOTHING")
        failRun = try connection.prepare("UPDATE runs SET status = 'failed', ended_seq = ?, reason = ? WHERE run = ?")
        abortRun = try connection.prepare("UPDATE runs SET status = 'aborted', ended_seq = ?, reason = ? WHERE run = ?")
        retireCurrent = try connection.prepare("UPDATE models SET status = 'retired', status_seq = ? WHERE status = 'current'")
        promote = try connection.prepare("UPDATE models SET status = 'current', status_seq = ? WHERE sha = ?")
        rejectModel = try connection.prepare("UPDATE models SET status = 'rejected', status_seq = ? WHERE sha = ?")
        insertRejected = try connection.prepare(
            "INSERT INTO rejected (seq, kind, original_name, rejected_path, reason) VALUES (?,?,?,?,?)")
    }

    func apply(_ event: LedgerEvent, seq: Int) throws {
        switch event {
        case .imageIngested(let e):
            try run(insertImage, e.image, e.originalName, e.width, e.height, e.channels, e.bytes, seq)
        case .imageRejected(let e):
            try run(insertRejected, seq, "image", e.originalName, e.rejectedPath, e.reason)
        case .correctionRejected(let e):
            try run(insertRejected, seq, "correction", e.originalName, e.rejectedPath, e.reason)
        case .predictionMade(let e):
            try run(predict, seq, e.model, e.mask, e.uncertainty, e.vesselFraction, e.image)
        case .correctionAccepted(let e):
            try run(correct, seq, e.mask, e.annotator, e.image)
        case .trainingStarted(let e):
            try run(startRun, e.run, seq, e.upToSeq)
        case .modelTrained(let e):
            try run(finishRun, e.model, seq, e.run)
            try run(insertModel, e.model, e.run, seq, e.epochs, e.validationDice, seq)
        case .trainingFailed(let e):
            try run(failRun, seq, e.reason, e.run)
        case .trainingAborted(let e):
            try run(abortRun, seq, e.reason, e.run)
        case .modelPromoted(let e):
            try run(retireCurrent, seq)
            try run(promote, seq, e.model)
        case .modelRejected(let e):
            try run(rejectModel, seq, e.model)
        case .daemonStarted, .daemonStopped:
            return
        }
    }

    private func run(_ statement: Statement, _ values: (any SQLValue)?...) throws {
        statement.reset()
        for (offset, value) in values.enumerated() {
            try statement.bind(value, at: Int32(offset + 1))
        }
        try statement.run()
    }

    /// The tables this projector owns, for rebuilds and comparisons.
    static let tables = ["images", "runs", "models", "rejected"]
}
