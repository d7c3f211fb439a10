extension Ledger {
    /// The events of one stream, in order, optionally of one type only: an image's
    /// corrections are `events(inStream: "image-SHA", type: .correctionAccepted)`.
    package func events(inStream stream: String, type: EventKind? = nil) throws -> [EventRow] {
        let statement = try connection.prepare("SELECT seq FROM events WHERE stream = ? ORDER BY version")
        try statement.bind(stream)
        var rows: [EventRow] = []
        while try statement.step() {
            let seq = statement.int(0)
            try forEachEvent(after: seq - 1, upTo: seq, type: type) { rows.append($0) }
        }
        return rows
    }

    /// How many events of `type` each stream holds (corrections per image stream), from the
    /// type index without decoding a payload.
    package func countsByStream(of type: EventKind) throws -> [String: Int] {
        let statement = try connection.prepare("SELECT stream, count(*) FROM events WHERE type = ? GROUP BY stream")
        try statement.bind(type.rawValue)
        var counts: [String: Int] = [:]
        while try statement.step() { counts[statement.text(0)] = statement.int(1) }
        return counts
    }
}

extension Ledger {
    /// The seq of the event logged under `eventID`, if one is.
    package func seq(ofEventID eventID: String) throws -> Int? {
        let statement = try connection.cached("SELECT seq FROM events WHERE event_id = ?")
        defer { statement.reset() }
        try statement.bind(eventID)
        return try statement.step() ? statement.int(0) : nil
    }
}
