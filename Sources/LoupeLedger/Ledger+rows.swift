import Foundation

/// One stored row, borrowed from SQLite: every buffer is valid only inside the callback.
/// Replay and verify read the log through this, without a String or Array per column.
struct BorrowedEventRow {
    var seq: Int
    var stream: UnsafeRawBufferPointer
    var version: Int
    var eventID: UnsafeRawBufferPointer
    var type: UnsafeRawBufferPointer
    var schema: Int
    var payload: UnsafeRawBufferPointer
    var at: UnsafeRawBufferPointer
    var prevHash: UnsafeRawBufferPointer
    var hash: UnsafeRawBufferPointer

    var typeName: String { String(decoding: type, as: UTF8.self) }

    /// The typed event, decoded in place.
    func decoded() throws -> LedgerEvent {
        guard let kind = EventKind(utf8: type) else { throw LedgerError.unknownEvent(type: typeName, schema: schema) }
        return try LedgerEvent.decode(kind, schema: schema, payload: payload)
    }
}

extension Ledger {
    /// Calls `body` for each row with `after < seq <= upTo`, in order, with borrowed columns.
    func forEachBorrowedRow(after: Int = 0, upTo: Int = Int.max, _ body: (BorrowedEventRow) throws -> Void) throws {
        let statement = try connection.prepare(
            "SELECT seq, stream, version, event_id, type, schema, payload, at, prev_hash, hash FROM events WHERE seq > ? AND seq <= ? ORDER BY seq"
        )
        try statement.set(after, at: 1)
        try statement.set(upTo, at: 2)
        while try statement.step() {
            try body(BorrowedEventRow(
                seq: statement.int(0), stream: statement.textBytes(1), version: statement.int(2), eventID: statement.textBytes(3),
                type: statement.textBytes(4), schema: statement.int(5), payload: statement.textBytes(6), at: statement.textBytes(7),
                prevHash: statement.blobBytes(8), hash: statement.blobBytes(9)
            ))
        }
    }

    /// Calls `body` with each event's seq and typed payload, decoded straight from the row.
    func forEachDecodedEvent(upTo: Int = Int.max, _ body: (Int, LedgerEvent) throws -> Void) throws {
        let statement = try connection.prepare("SELECT seq, type, schema, payload FROM events WHERE seq <= ? ORDER BY seq")
        try statement.set(upTo, at: 1)
        while try statement.step() {
            let type = statement.textBytes(1)
            let schema = statement.int(2)
            guard let kind = EventKind(utf8: type) else {
                throw LedgerError.unknownEvent(type: String(decoding: type, as: UTF8.self), schema: schema)
            }
            try body(statement.int(0), try LedgerEvent.decode(kind, schema: schema, payload: statement.textBytes(3)))
        }
    }
}
