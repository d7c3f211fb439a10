import Foundation

/// The event log of one workspace: the single writer connection, appends with optimistic
/// stream versions, and the projections kept in step inside the same transaction.
///
/// Not thread-safe: one thread (the daemon's loop, or a command's main thread) owns it.
/// Readers in other processes open their own `Ledger(path:readOnly: true)`.
public final class Ledger {
    public let connection: Connection
    private var hasher = ChainHasher()
    private let projector: Projector
    private let clock: () -> Date

    public init(path: String, readOnly: Bool = false, clock: @escaping () -> Date = Date.init) throws {
        connection = try Connection(path: path, readOnly: readOnly)
        self.clock = clock
        if readOnly {
            let version = try connection.scalarInt("PRAGMA user_version") ?? 0
            guard version <= Migrator.latestVersion else {
                throw LedgerError.databaseTooNew(databaseVersion: version, binaryVersion: Migrator.latestVersion)
            }
        } else {
            try connection.execute("PRAGMA journal_mode = WAL")
            try connection.execute("PRAGMA synchronous = FULL")
            try connection.execute("PRAGMA foreign_keys = ON")
            // Event ids and image hashes are random keys: their index pages are touched all
            // over, so a cache far above SQLite's 2 MB default keeps appends off the disk.
            try connection.execute("PRAGMA cache_size = -262144")
            try Migrator.migrate(connection)
        }
        projector = try Projector(connection: connection)
    }

    /// Appends the events in one transaction, in order; any version conflict rolls back all.
    /// An event whose event_id is already logged is skipped and reported as a duplicate.
    /// `checkpoint` records how far a consumer of the log has got, atomically with its output.
    @discardableResult
    public func append(_ batch: [PendingEvent], checkpoint: (consumer: String, seq: Int)? = nil) throws -> [Appended] {
        let at = Self.timestamp(clock())
        return try connection.transaction {
            var (seq, prevHash) = try head()
            var results: [Appended] = []
            results.reserveCapacity(batch.count)
            let findID = try connection.cached("SELECT seq FROM events WHERE event_id = ?")
            let streamVersion = try connection.cached("SELECT max(version) FROM events WHERE stream = ?")
            let insert = try connection.cached(
                "INSERT INTO events (seq, stream, version, event_id, type, schema, payload, at, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?)"
            )
            for pending in batch {
                try findID.bind(pending.eventID)
                if try findID.step() {
                    results.append(Appended(seq: findID.int(0), duplicate: true))
                    findID.reset()
                    continue
                }
                findID.reset()
                try streamVersion.bind(pending.stream)
                _ = try streamVersion.step()
                let current = streamVersion.optionalInt(0) ?? 0
                streamVersion.reset()
                try Self.check(pending.expected, current: current, stream: pending.stream)

                seq += 1
                var row = EventRow(
                    seq: seq, stream: pending.stream, version: current + 1, eventID: pending.eventID,
                    type: pending.event.type, schema: pending.event.schema, payload: try pending.event.encodedPayload(),
                    at: at, prevHash: prevHash, hash: []
                )
                row.hash = hasher.hash(prev: prevHash, row: row)
                try insert.bind(row.seq, row.stream, row.version, row.eventID, row.type, row.schema, row.payload, row.at, row.prevHash, row.hash)
                try insert.run()
                insert.reset()
                try projector.apply(pending.event, seq: seq)
                prevHash = row.hash
                results.append(Appended(seq: seq, duplicate: false))
            }
            if let checkpoint {
                try connection.cached("INSERT INTO checkpoints (consumer, seq) VALUES (?, ?) ON CONFLICT (consumer) DO UPDATE SET seq = excluded.seq")
                    .bind(checkpoint.consumer, checkpoint.seq).run()
            }
            return results
        }
    }

    @discardableResult
    public func append(_ event: PendingEvent) throws -> Appended {
        try append([event])[0]
    }

    /// The last event's seq and hash; (0, genesis) for an empty log.
    public func head() throws -> (seq: Int, hash: [UInt8]) {
        let statement = try connection.cached("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")
        defer { statement.reset() }
        guard try statement.step() else { return (0, ChainHasher.genesis) }
        return (statement.int(0), statement.blob(1))
    }

    public func version(of stream: String) throws -> Int {
        let statement = try connection.cached("SELECT max(version) FROM events WHERE stream = ?")
        defer { statement.reset() }
        try statement.bind(stream)
        _ = try statement.step()
        return statement.optionalInt(0) ?? 0
    }

    public func checkpoint(of consumer: String) throws -> Int {
        let statement = try connection.cached("SELECT seq FROM checkpoints WHERE consumer = ?")
        defer { statement.reset() }
        try statement.bind(consumer)
        return try statement.step() ? statement.int(0) : 0
    }

    /// Calls `body` for each event with `after < seq <= upTo`, in order, without loading the log.
    public func forEachEvent(after: Int = 0, upTo: Int = Int.max, type: String? = nil, _ body: (EventRow) throws -> Void) throws {
        let statement = try connection.prepare(
            "SELECT seq, stream, version, event_id, type, schema, payload, at, prev_hash, hash FROM events WHERE seq > ? AND seq <= ? AND (?3 IS NULL OR type = ?3) ORDER BY seq"
        )
        try statement.bind(after, upTo, type)
        while try statement.step() {
            try body(EventRow(
                seq: statement.int(0), stream: statement.text(1), version: statement.int(2), eventID: statement.text(3),
                type: statement.text(4), schema: statement.int(5), payload: statement.text(6), at: statement.text(7),
                prevHash: statement.blob(8), hash: statement.blob(9)
            ))
        }
    }

    public func events(after: Int = 0, upTo: Int = Int.max, type: String? = nil) throws -> [EventRow] {
        var rows: [EventRow] = []
        try forEachEvent(after: after, upTo: upTo, type: type) { rows.append($0) }
        return rows
    }

    static func check(_ expected: ExpectedVersion, current: Int, stream: String) throws {
        switch expected {
        case .any: return
        case .noStream where current == 0: return
        case .exact(let version) where version == current: return
        default: throw LedgerError.versionConflict(stream: stream, expected: expected, actual: current)
        }
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
