/// Rebuilds projections from the log alone.
package enum Replay {
    /// A fresh in-memory database holding the projections as of `upTo`, for `replay --to`
    /// and for comparison with the live tables.
    package static func project(_ ledger: Ledger, upTo: Int = Int.max) throws -> Projections {
        Projections(try projectedConnection(ledger, upTo: upTo))
    }

    static func projectedConnection(_ ledger: Ledger, upTo: Int = Int.max) throws -> Connection {
        let scratch = try Connection(path: ":memory:")
        // A scratch copy: nothing to roll back to or recover.
        try scratch.execute("PRAGMA journal_mode = OFF")
        try scratch.execute("PRAGMA synchronous = OFF")
        try scratch.execute("PRAGMA cache_size = -262144")
        try Migrator.migrate(scratch)
        // Secondary indexes are built once at the end, from sorted keys, instead of row by row.
        let indexes = try secondaryIndexes(scratch)
        for index in indexes { try scratch.execute("DROP INDEX \(index.name)") }
        let projector = try Projector(connection: scratch)
        try scratch.transaction {
            try ledger.forEachDecodedEvent(upTo: upTo) { seq, event in
                try projector.apply(event, seq: seq)
            }
            for index in indexes { try scratch.execute(index.sql) }
        }
        return scratch
    }

    /// The projection tables' explicit indexes (not those behind PRIMARY KEY or UNIQUE).
    private static func secondaryIndexes(_ connection: Connection) throws -> [(name: String, sql: String)] {
        let tables = Projector.tables.map { "'\($0)'" }.joined(separator: ", ")
        let statement = try connection.prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (\(tables)) ORDER BY name")
        var indexes: [(name: String, sql: String)] = []
        while try statement.step() { indexes.append((statement.text(0), statement.text(1))) }
        return indexes
    }

    /// Replaces the live projections with a full replay, in one transaction.
    package static func rebuild(_ ledger: Ledger) throws -> Int {
        let connection = ledger.connection
        let projector = try Projector(connection: connection)
        var count = 0
        try connection.transaction {
            for table in Projector.tables { try connection.execute("DELETE FROM \(table)") }
            try ledger.forEachDecodedEvent { seq, event in
                try projector.apply(event, seq: seq)
                count += 1
            }
        }
        return count
    }

    /// Rows that differ between a full replay and the live projections, described for a person;
    /// empty when they agree.
    package static func differences(_ ledger: Ledger, livePath: String) throws -> [String] {
        let replayed = try projectedConnection(ledger)
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
