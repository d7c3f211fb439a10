import Foundation
import LoupeLab

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
        return "\(seq)  \(row.at)  \(row.type.rightPadded(to: 18))  \(row.summary)"
    }
}
