/// Read side of the projection tables, over the live database or a replayed copy.
package struct Projections {
    let connection: Connection

    init(_ connection: Connection) {
        self.connection = connection
    }

    private static let imageColumns = """
        sha, name, width, height, channels, bytes, ingested_seq, state, prediction_seq, prediction_model,
        prediction_mask, uncertainty, vessel_fraction, correction_seq, correction_mask, annotator
        """

    package func image(sha: String) throws -> ImageRecord? {
        try images(where: "sha = ?", sha).first
    }

    /// Images whose original file name, or the name's stem, is `stem` ("im0001" matches
    /// "im0001.png"). Case matters, as it does to the file system: `IM0001.png` is another name.
    package func images(stem: String) throws -> [ImageRecord] {
        try images(where: "sha IN (SELECT sha FROM image_names WHERE name = ?1 OR substr(name, 1, length(?2)) = ?2)", stem, stem + ".")
    }

    /// Whether `name` is recorded for the image, as its first name or another one.
    package func isName(_ name: String, of sha: String) throws -> Bool {
        let statement = try connection.cached("SELECT 1 FROM image_names WHERE name = ? AND sha = ?")
        defer { statement.reset() }
        try statement.bind(name, sha)
        return try statement.step()
    }

    /// Every name the image was dropped under, first one first.
    package func names(of sha: String) throws -> [String] {
        let statement = try connection.cached("SELECT name FROM image_names WHERE sha = ? ORDER BY seq")
        defer { statement.reset() }
        try statement.bind(sha)
        var names: [String] = []
        while try statement.step() { names.append(statement.text(0)) }
        return names
    }

    package func images(shaPrefix: String) throws -> [ImageRecord] {
        try images(where: "sha LIKE ? ESCAPE '\\'", Self.escapeLike(shaPrefix.lowercased()) + "%")
    }

    package func images(state: ImageState? = nil) throws -> [ImageRecord] {
        if let state { return try images(where: "state = ?", state.rawValue) }
        return try images(where: "1")
    }

    /// Images waiting for an expert (not corrected) that pass `filter`, in `order`, at most
    /// `limit`: a few sorted rows where a caller needs only the first of a large lab.
    package func waitingImages(_ filter: WaitingFilter, order: WaitingOrder, limit: Int) throws -> [ImageRecord] {
        switch filter {
        case .all: try images(where: "state != 'corrected'", orderedBy: order.sql, limit: limit)
        case .neverPredicted: try images(where: "state != 'corrected' AND prediction_model IS NULL", orderedBy: order.sql, limit: limit)
        case .notPredictedBy(let model):
            try images(where: "state != 'corrected' AND prediction_model IS NOT ?", orderedBy: order.sql, limit: limit, model)
        }
    }

    /// How many images waiting for an expert `model` has not predicted.
    package func countWaiting(notPredictedBy model: String) throws -> Int {
        let statement = try connection.cached("SELECT count(*) FROM images WHERE state != 'corrected' AND prediction_model IS NOT ?")
        defer { statement.reset() }
        try statement.bind(model)
        return try statement.step() ? statement.int(0) : 0
    }

    /// `limit` -1: all of them.
    private func images(
        where condition: String, orderedBy order: String = "ingested_seq", limit: Int = -1, _ values: (any SQLValue)?...
    ) throws -> [ImageRecord] {
        let statement = try connection.cached("SELECT \(Self.imageColumns) FROM images WHERE \(condition) ORDER BY \(order) LIMIT ?")
        for (offset, value) in (values + [limit]).enumerated() { try statement.bind(value, at: Int32(offset + 1)) }
        var records: [ImageRecord] = []
        while try statement.step() {
            records.append(ImageRecord(
                sha: statement.text(0), name: statement.text(1), width: statement.int(2), height: statement.int(3),
                channels: statement.int(4), bytes: statement.int(5), ingestedSeq: statement.int(6),
                state: ImageState(rawValue: statement.text(7)) ?? .pending, predictionSeq: statement.optionalInt(8),
                predictionModel: statement.optionalText(9), predictionMask: statement.optionalText(10),
                uncertainty: statement.optionalDouble(11), vesselFraction: statement.optionalDouble(12),
                correctionSeq: statement.optionalInt(13), correctionMask: statement.optionalText(14),
                annotator: statement.optionalText(15)
            ))
        }
        return records
    }

    package func countsByState() throws -> [ImageState: Int] {
        let statement = try connection.cached("SELECT state, count(*) FROM images GROUP BY state")
        var counts: [ImageState: Int] = [:]
        while try statement.step() {
            if let state = ImageState(rawValue: statement.text(0)) { counts[state] = statement.int(1) }
        }
        return counts
    }

    package func models() throws -> [ModelRecord] {
        let statement = try connection.cached("SELECT sha, run, trained_seq, epochs, validation_dice, status FROM models ORDER BY trained_seq")
        var records: [ModelRecord] = []
        while try statement.step() {
            records.append(ModelRecord(
                sha: statement.text(0), run: statement.int(1), trainedSeq: statement.int(2), epochs: statement.int(3),
                validationDice: statement.optionalDouble(4), status: statement.text(5)
            ))
        }
        return records
    }

    package func currentModel() throws -> ModelRecord? {
        try models().last { $0.status == "current" }
    }

    package func rejected() throws -> [RejectedRecord] {
        let statement = try connection.cached("SELECT seq, kind, original_name, rejected_path, reason FROM rejected ORDER BY seq")
        var records: [RejectedRecord] = []
        while try statement.step() {
            records.append(RejectedRecord(
                seq: statement.int(0), kind: statement.text(1), originalName: statement.text(2),
                rejectedPath: statement.text(3), reason: statement.text(4)
            ))
        }
        return records
    }

    package func runs() throws -> [RunRecord] {
        let statement = try connection.cached("SELECT run, started_seq, up_to_seq, status, model, reason FROM runs ORDER BY run")
        var records: [RunRecord] = []
        while try statement.step() {
            records.append(RunRecord(
                run: statement.int(0), startedSeq: statement.int(1), upToSeq: statement.int(2), status: statement.text(3),
                model: statement.optionalText(4), reason: statement.optionalText(5)
            ))
        }
        return records
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}

/// Which waiting images `Projections.waitingImages` reads.
package enum WaitingFilter: Sendable, Equatable {
    case all
    case neverPredicted
    /// Never predicted, or whose newest prediction is another model's.
    case notPredictedBy(String)
}

/// The orders of the annotation queue that SQL can give.
package enum WaitingOrder: Sendable {
    /// Oldest first.
    case oldest
    /// Predicted images most uncertain first (ties oldest first), then unpredicted ones oldest
    /// first: SQLite sorts NULL below every number, so last when descending.
    case mostUncertain

    var sql: String {
        switch self {
        case .oldest: "ingested_seq"
        case .mostUncertain: "uncertainty DESC, ingested_seq"
        }
    }
}

package enum ImageState: String, Sendable, CaseIterable, Codable {
    case pending, predicted, corrected
}

package struct ImageRecord: Sendable, Equatable, Codable {
    package var sha: String
    package var name: String
    package var width: Int
    package var height: Int
    package var channels: Int
    package var bytes: Int
    package var ingestedSeq: Int
    package var state: ImageState
    package var predictionSeq: Int?
    package var predictionModel: String?
    package var predictionMask: String?
    package var uncertainty: Double?
    package var vesselFraction: Double?
    package var correctionSeq: Int?
    package var correctionMask: String?
    package var annotator: String?
}

package struct ModelRecord: Sendable, Equatable, Codable {
    package var sha: String
    package var run: Int
    package var trainedSeq: Int
    package var epochs: Int
    package var validationDice: Double?
    package var status: String
}

package struct RejectedRecord: Sendable, Equatable, Codable {
    package var seq: Int
    package var kind: String
    package var originalName: String
    package var rejectedPath: String
    package var reason: String
}

package struct RunRecord: Sendable, Equatable, Codable {
    package var run: Int
    package var startedSeq: Int
    package var upToSeq: Int
    package var status: String
    package var model: String?
    package var reason: String?
}

extension Ledger {
    /// Every event about one image, in order: its own stream, the training runs that learnt
    /// from its masks, and the fate (promotion, rejection) of the models those runs made.
    package func history(ofImage sha: String) throws -> [EventRow] {
        let runs = try connection.prepare(
            "SELECT DISTINCT stream FROM events WHERE type = 'TrainingStarted' AND instr(payload, ?) > 0")
        try runs.bind("\"\(sha)\"")
        var streams: Set<String> = ["image-\(sha)"]
        while try runs.step() { streams.insert(runs.text(0)) }
        for run in streams where run.hasPrefix("run-") {
            try forEachStream(run) { row in
                if case .modelTrained(let trained) = try row.decoded() { streams.insert("model-\(trained.model)") }
            }
        }
        var rows: [EventRow] = []
        for stream in streams {
            try forEachStream(stream) { rows.append($0) }
        }
        return rows.sorted { $0.seq < $1.seq }
    }

    private func forEachStream(_ stream: String, _ body: (EventRow) throws -> Void) throws {
        let statement = try connection.prepare("SELECT seq FROM events WHERE stream = ? ORDER BY version")
        try statement.bind(stream)
        var seqs: [Int] = []
        while try statement.step() { seqs.append(statement.int(0)) }
        for seq in seqs {
            try forEachEvent(after: seq - 1, upTo: seq, body)
        }
    }
}
