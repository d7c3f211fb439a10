import Foundation

/// One stored row of the event log, as it is hashed.
public struct EventRow: Sendable, Equatable {
    public var seq: Int
    public var stream: String
    public var version: Int
    public var eventID: String
    public var type: String
    public var schema: Int
    public var payload: String
    public var at: String
    public var prevHash: [UInt8]
    public var hash: [UInt8]

    public func decoded() throws -> LedgerEvent {
        try LedgerEvent.decode(type: type, schema: schema, payload: Data(payload.utf8))
    }

    public var hashHex: String { hash.hexString }
}

/// An event on its way into the log.
public struct PendingEvent: Sendable {
    public var stream: String
    public var expected: ExpectedVersion
    public var eventID: String
    public var event: LedgerEvent

    public init(stream: String, expected: ExpectedVersion = .any, eventID: String, event: LedgerEvent) {
        self.stream = stream
        self.expected = expected
        self.eventID = eventID
        self.event = event
    }
}

/// Where an appended event landed; `duplicate` when its event_id was already in the log.
public struct Appended: Sendable, Equatable {
    public var seq: Int
    public var duplicate: Bool
}

extension Array where Element == UInt8 {
    public var hexString: String {
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
