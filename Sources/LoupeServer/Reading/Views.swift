import Foundation
import LoupeLab

/// An image as lists show it: the queue and `/images`.
struct ImageSummary: Encodable {
    let id: String
    let name: String
    let state: String
    let width: Int
    let height: Int
    let uncertainty: Double?
    let predictionModel: String?
    let corrections: Int
    let annotator: String?
    let claimedBy: String?
    let claimExpiresAt: Date?
    /// Review's word for the image (todo, corrected, flagged, skipped), why it was set aside
    /// and the verdict on its latest correction; absent where an upload answers.
    var status: String?
    var setAside: SetAsideView?
    var review: ReviewView?

    init(_ record: ImageRecord, claim: Claim?, corrections: Int) {
        id = record.sha
        name = record.name
        state = record.state.rawValue
        width = record.width
        height = record.height
        uncertainty = record.uncertainty
        predictionModel = record.predictionModel
        self.corrections = corrections
        annotator = record.annotator
        claimedBy = claim?.annotator
        claimExpiresAt = claim?.expires
    }

    init(_ reviewed: ReviewedImage, claim: Claim?, corrections: Int) {
        self.init(reviewed.image, claim: claim, corrections: corrections)
        status = reviewed.status.rawValue
        setAside = reviewed.mark.map(SetAsideView.init)
        review = reviewed.review.map(ReviewView.init)
    }
}

/// Why an image is off the to-do list, and who put it there.
struct SetAsideView: Encodable {
    let kind: String
    let reason: String
    let by: String?

    init(_ mark: ImageMarkRecord) {
        kind = mark.mark
        reason = mark.reason
        by = mark.by
    }
}

/// A reviewer's standing verdict on the image's latest correction.
struct ReviewView: Encodable {
    let verdict: String
    let annotator: String?
    let by: String?
    let note: String

    init(_ review: ReviewRecord) {
        verdict = review.verdict
        annotator = review.annotator
        by = review.by
        note = review.note
    }
}

/// An image with its names and every correction, oldest first: `/images/{id}`.
struct ImageDetail: Encodable {
    let summary: ImageSummary
    let names: [String]
    let corrections: [CorrectionRecord]
    let comments: [CommentRecord]

    private enum Keys: String, CodingKey {
        case names, corrections, comments
    }

    /// The summary's fields at the top level, with `corrections` the list instead of its count.
    func encode(to encoder: any Encoder) throws {
        try summary.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(names, forKey: .names)
        try container.encode(corrections, forKey: .corrections)
        try container.encode(comments, forKey: .comments)
    }
}

/// A model as `/models` lists it.
struct ModelView: Encodable {
    let sha: String
    let run: Int
    let state: String
    let epochs: Int
    let validationDice: Double?
    let trainedSeq: Int

    init(_ record: ModelRecord) {
        sha = record.sha
        run = record.run
        // The ledger's projection says "current"; the API names what it does.
        state = record.status == "current" ? "serving" : record.status
        epochs = record.epochs
        validationDice = record.validationDice
        trainedSeq = record.trainedSeq
    }
}

/// One ledger event as the API and the event stream show it; `payload` is the stored JSON,
/// passed through unparsed.
enum EventJSON {
    static func encode(_ row: EventRow) throws -> [UInt8] {
        struct Head: Encodable {
            let seq: Int
            let type: String
            let stream: String
            let at: String
            let summary: String
        }
        var head = try JSONBody.encode(Head(seq: row.seq, type: row.type, stream: row.stream, at: row.at, summary: row.summary))
        head.removeLast()
        return head + Array(",\"payload\":".utf8) + Array(row.payload.utf8) + [UInt8(ascii: "}")]
    }

    static func list(_ rows: [EventRow]) throws -> [UInt8] {
        var out = Array("{\"events\":[".utf8)
        for (index, row) in rows.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += try encode(row)
        }
        return out + Array("]}".utf8)
    }
}
