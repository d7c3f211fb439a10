import Foundation
import LoupeLedger

enum EventFormatting {
    /// The row as one JSON object, its payload embedded as an object rather than a string.
    static func json(_ row: EventRow) throws -> String {
        let payload = try JSONSerialization.jsonObject(with: Data(row.payload.utf8))
        let object: [String: Any] = [
            "seq": row.seq, "stream": row.stream, "version": row.version, "event_id": row.eventID, "type": row.type,
            "schema": row.schema, "payload": payload, "at": row.at, "hash": row.hashHex,
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    static func line(_ row: EventRow) -> String {
        let seq = String(row.seq).leftPadded(to: 6)
        return "\(seq)  \(row.at)  \(row.type.rightPadded(to: 18))  \(summary(row))"
    }

    /// A few words a person reads at a glance; the full payload is in --json.
    static func summary(_ row: EventRow) -> String {
        guard let event = try? row.decoded() else { return row.payload }
        switch event {
        case .imageIngested(let e):
            return "\(e.originalName) \(e.width)x\(e.height)x\(e.channels) as \(shortSHA(e.image))"
        case .imageRejected(let e), .correctionRejected(let e):
            return "\(e.originalName) -> \(e.rejectedPath): \(e.reason)"
        case .predictionMade(let e):
            return "image \(shortSHA(e.image)) by model \(shortSHA(e.model)): uncertainty \(format(e.uncertainty)), vessels \(format(e.vesselFraction * 100, digits: 1))%, \(e.ms) ms"
        case .correctionAccepted(let e):
            let by = e.annotator.map { " by \($0)" } ?? ""
            let base = e.basedOnModel.map { "on model \(shortSHA($0)), \(e.pixelsChanged ?? 0) pixels changed" } ?? "drawn without a prediction"
            return "\(e.originalName)\(by) for image \(shortSHA(e.image)), \(base)"
        case .trainingStarted(let e):
            return "run \(e.run): \(e.trainingSet.count) training, \(e.validationSet.count) validation, seed \(e.seed), warm start \(shortSHA(e.warmStart))"
        case .modelTrained(let e):
            return "run \(e.run): model \(shortSHA(e.model)), \(e.epochs) epochs, validation Dice \(e.validationDice.map { format($0) } ?? "-"), \(e.ms / 1000) s"
        case .trainingFailed(let e), .trainingAborted(let e):
            return "run \(e.run): \(e.reason)"
        case .modelPromoted(let e):
            return "model \(shortSHA(e.model)) replaces \(shortSHA(e.replaced)): \(e.why)"
        case .modelRejected(let e):
            return "model \(shortSHA(e.model)): validation Dice \(format(e.candidateDice)) < current \(format(e.currentDice))"
        case .daemonStarted(let e):
            return "loupe \(e.version), pid \(e.pid)"
        case .daemonStopped(let e):
            return e.reason
        }
    }

    static func format(_ value: Double, digits: Int = 3) -> String {
        String(format: "%.\(digits)f", value)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    func rightPadded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
