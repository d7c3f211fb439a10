import Foundation

/// One stored row of the event log, as it is hashed.
package struct EventRow: Sendable, Equatable {
    package var seq: Int
    package var stream: String
    package var version: Int
    package var eventID: String
    package var type: String
    package var schema: Int
    package var payload: String
    package var at: String
    package var prevHash: [UInt8]
    package var hash: [UInt8]

    package func decoded() throws -> LedgerEvent {
        try LedgerEvent.decode(type: type, schema: schema, payload: Data(payload.utf8))
    }

    package var hashHex: String { hash.hexString }
}

/// An event on its way into the log.
package struct PendingEvent: Sendable {
    package var stream: String
    package var expected: ExpectedVersion
    package var eventID: String
    package var event: LedgerEvent

    package init(stream: String, expected: ExpectedVersion = .any, eventID: String, event: LedgerEvent) {
        self.stream = stream
        self.expected = expected
        self.eventID = eventID
        self.event = event
    }
}

/// Where an appended event landed; `duplicate` when its event_id was already in the log.
package struct Appended: Sendable, Equatable {
    package var seq: Int
    package var duplicate: Bool
}

extension Array where Element == UInt8 {
    package var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
