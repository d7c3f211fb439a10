/// Folds one event into the projection tables. The same code serves live appends and replay,
/// which is what makes `replay --check` meaningful. Statements are prepared once: this runs
/// for every event of a replay.
///
/// Every statement is `OR ROLLBACK`: a failed constraint ends the whole transaction, which is
/// what the caller (an append or a replay) does with any error anyway, and it spares SQLite a
/// statement journal per INSERT/UPDATE (about a tenth of an append's time with ABORT).
final class Projector {
    private let insertImage, predict, correct, startRun, finishRun, insertModel, failRun, abortRun: Statement
    private let retireCurrent, promote, rejectModel, insertRejected, insertName, linkTask: Statement
    private let operators: OperatorProjector
    private let review: ReviewProjector

    init(connection: Connection) throws {
        insertImage = try connection.prepare(
            "INSERT OR ROLLBACK INTO images (sha, name, width, height, channels, bytes, ingested_seq, state) VALUES (?,?,?,?,?,?,?, 'pending')")
        predict = try connection.prepare("""
            UPDATE OR ROLLBACK images SET prediction_seq = ?, prediction_model = ?, prediction_mask = ?, uncertainty = ?, vessel_fraction = ?,
                state = CASE state WHEN 'corrected' THEN 'corrected' ELSE 'predicted' END
            WHERE sha = ?
            """)
        correct = try connection.prepare(
            "UPDATE OR ROLLBACK images SET correction_seq = ?, correction_mask = ?, annotator = ?, state = 'corrected' WHERE sha = ?")
        startRun = try connection.prepare("INSERT OR ROLLBACK INTO runs (run, started_seq, up_to_seq, status) VALUES (?,?,?, 'running')")
        finishRun = try connection.prepare("UPDATE OR ROLLBACK runs SET status = 'trained', model = ?, ended_seq = ? WHERE run = ?")
        insertModel = try connection.prepare(
            "INSERT OR ROLLBACK INTO models (sha, run, trained_seq, epochs, validation_dice, status, status_seq) VALUES (?,?,?,?,?, 'trained', ?) ON CONFLICT (sha) DO NOTHING")
        failRun = try connection.prepare("UPDATE OR ROLLBACK runs SET status = 'failed', ended_seq = ?, reason = ? WHERE run = ?")
        abortRun = try connection.prepare("UPDATE OR ROLLBACK runs SET status = 'aborted', ended_seq = ?, reason = ? WHERE run = ?")
        retireCurrent = try connection.prepare("UPDATE OR ROLLBACK models SET status = 'retired', status_seq = ? WHERE status = 'current'")
        promote = try connection.prepare("UPDATE OR ROLLBACK models SET status = 'current', status_seq = ? WHERE sha = ?")
        rejectModel = try connection.prepare("UPDATE OR ROLLBACK models SET status = 'rejected', status_seq = ? WHERE sha = ?")
        insertName = try connection.prepare(
            "INSERT OR ROLLBACK INTO image_names (sha, name, seq) VALUES (?,?,?) ON CONFLICT (name, sha) DO NOTHING")
        insertRejected = try connection.prepare(
            "INSERT OR ROLLBACK INTO rejected (seq, kind, original_name, rejected_path, reason) VALUES (?,?,?,?,?)")
        linkTask = try connection.prepare("""
            INSERT OR ROLLBACK INTO label_studio_tasks (project, task, image, linked_seq) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (project, task) DO UPDATE SET image = excluded.image, linked_seq = excluded.linked_seq
            """)
        operators = try OperatorProjector(connection: connection)
        review = try ReviewProjector(connection: connection)
    }

    func apply(_ event: LedgerEvent, seq: Int) throws {
        switch event {
        case .imageIngested(let e):
            try insertImage.set(e.image, at: 1)
            try insertImage.set(e.originalName, at: 2)
            try insertImage.set(e.width, at: 3)
            try insertImage.set(e.height, at: 4)
            try insertImage.set(e.channels, at: 5)
            try insertImage.set(e.bytes, at: 6)
            try insertImage.set(seq, at: 7)
            try insertImage.execute()
            try name(e.image, e.originalName, seq)
        case .imageNamed(let e):
            try name(e.image, e.originalName, seq)
        case .imageRejected(let e):
            try reject(seq, "image", e)
        case .correctionRejected(let e):
            try reject(seq, "correction", e)
        case .predictionMade(let e):
            try predict.set(seq, at: 1)
            try predict.set(e.model, at: 2)
            try predict.set(e.mask, at: 3)
            try predict.set(e.uncertainty, at: 4)
            try predict.set(e.vesselFraction, at: 5)
            try predict.set(e.image, at: 6)
            try predict.execute()
        case .correctionAccepted(let e):
            try correct.set(seq, at: 1)
            try correct.set(e.mask, at: 2)
            try correct.set(e.annotator, at: 3)
            try correct.set(e.image, at: 4)
            try correct.execute()
            try review.corrected(image: e.image)
        case .trainingStarted(let e):
            try startRun.set(e.run, at: 1)
            try startRun.set(seq, at: 2)
            try startRun.set(e.upToSeq, at: 3)
            try startRun.execute()
            try operators.trainingStarted()
        case .modelTrained(let e):
            try finishRun.set(e.model, at: 1)
            try finishRun.set(seq, at: 2)
            try finishRun.set(e.run, at: 3)
            try finishRun.execute()
            try insertModel.set(e.model, at: 1)
            try insertModel.set(e.run, at: 2)
            try insertModel.set(seq, at: 3)
            try insertModel.set(e.epochs, at: 4)
            try insertModel.set(e.validationDice, at: 5)
            try insertModel.set(seq, at: 6)
            try insertModel.execute()
        case .trainingFailed(let e):
            try end(failRun, seq, e)
        case .trainingAborted(let e):
            try end(abortRun, seq, e)
        case .modelPromoted(let e):
            try retireCurrent.set(seq, at: 1)
            try retireCurrent.execute()
            try promote.set(seq, at: 1)
            try promote.set(e.model, at: 2)
            try promote.execute()
        case .modelRejected(let e):
            try rejectModel.set(seq, at: 1)
            try rejectModel.set(e.model, at: 2)
            try rejectModel.execute()
        case .daemonStarted, .daemonStopped:
            return
        case .annotatorAdded(let e):
            try operators.annotatorAdded(e, seq: seq)
        case .trainingRequested:
            try operators.trainingRequested(seq: seq)
        case .trainingPaused:
            try operators.paused(true)
        case .trainingResumed:
            try operators.paused(false)
        case .modelPinned(let e):
            try operators.pinned(e.model)
        case .modelUnpinned:
            try operators.pinned(nil)
        case .labelStudioTaskLinked(let e):
            try linkTask.set(e.project, at: 1)
            try linkTask.set(e.task, at: 2)
            try linkTask.set(e.image, at: 3)
            try linkTask.set(seq, at: 4)
            try linkTask.execute()
        case .imageSkipped(let e):
            try review.setAside(e, as: "skipped", seq: seq)
        case .imageFlagged(let e):
            try review.setAside(e, as: "flagged", seq: seq)
        case .imageRestored(let e):
            try review.restored(e)
        case .imageCommented:
            return
        case .correctionApproved(let e):
            try review.reviewed(e, verdict: "accepted", seq: seq)
        case .correctionSentBack(let e):
            try review.reviewed(e, verdict: "sent_back", seq: seq)
        case .loginCodeIssued(let e):
            try review.codeIssued(e, seq: seq)
        case .loginCodeRedeemed(let e):
            try review.codeRedeemed(e, seq: seq)
        }
    }

    private func name(_ sha: String, _ name: String, _ seq: Int) throws {
        try insertName.set(sha, at: 1)
        try insertName.set(name, at: 2)
        try insertName.set(seq, at: 3)
        try insertName.execute()
    }

    private func reject(_ seq: Int, _ kind: String, _ e: FileRejected) throws {
        try insertRejected.set(seq, at: 1)
        try insertRejected.set(kind, at: 2)
        try insertRejected.set(e.originalName, at: 3)
        try insertRejected.set(e.rejectedPath, at: 4)
        try insertRejected.set(e.reason, at: 5)
        try insertRejected.execute()
    }

    private func end(_ statement: Statement, _ seq: Int, _ e: TrainingEnded) throws {
        try statement.set(seq, at: 1)
        try statement.set(e.reason, at: 2)
        try statement.set(e.run, at: 3)
        try statement.execute()
    }

    /// The tables this projector owns, for rebuilds and comparisons.
    static let tables = ["images", "image_names", "runs", "models", "rejected", "label_studio_tasks"] + OperatorProjector.tables + ReviewProjector.tables
}
