/// Rebuilds projections from the log alone.
public enum Replay {
    /// A fresh in-memory database holding the projections as of `upTo`, for `replay --to`
    /// and for comparison with the live tables.
    public static func project(_ ledger: Ledger, upTo: Int = Int.max) throws -> Connection {
        let scratch = try Connection(path: ":memory:")
        try Migrator.migrate(scratch)
        let projector = try Projector(connection: scratch)
        try scratch.transaction {
            try ledger.forEachEvent(upTo: upTo) { row in
                try projector.apply(try row.decoded(), seq: row.seq)
            }
        }
        return scratch
    }

    /// Replaces the live projections with a full replay, in one transaction.
    public static func rebuild(_ ledger: Ledger) throws -> Int {
        let connection = ledger.connection
        let projector = try Projector(connection: connection)
        var count = 0
        try connection.transaction {
            for table in Projector.tables { try connection.execute("DELETE FROM \(table)") }
            try ledger.forEachEvent { row in
                try projector.apply(try row.decoded(), seq: row.seq)
                count += 1
            }
        }
        return count
    }

    /// Rows that differ between a full replay and the live projections, described for a person;
    /// empty when they agree.
    public static func differences(_ ledger: Ledger, livePath: String) throws -> [String] {
        let replayed = try project(ledger)
        try replayed.execute("ATTACH DATABASE '\(livePath.replacingOccurrences(of: "'", with: "''"))' AS live")
        var found: [String] = []
        for table in Projector.tables {
            for (label, left, right) in [("only in replay", "main", "live"), ("only in live", "live", "main")] {
                let statement = try replayed.prepare("SELECT * FROM \(left).\(table) EXCEPT SELECT * FROM \(right).\(table)")
                while try statement.step() {
                    let columns = (0..<sqlite3ColumnCount(statement)).map { statement.optionalText($0) ?? "NULL" }
                    found.append("\(table) \(label): \(columns.joined(separator: " | "))")
                }
            }
        }
        return found
    }
}
