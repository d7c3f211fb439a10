import Crypto
import Foundation

/// The event log of one workspace: the single writer connection, appends with optimistic
/// stream versions, and the projections kept in step inside the same transaction.
///
/// Not thread-safe: one thread (the daemon's loop, or a command's main thread) owns it.
/// Readers in other processes open their own `Ledger(path:readOnly: true)`.
package final class Ledger {
    let connection: Connection
    // Owned by the ledger's one thread; unchecked spares a runtime exclusivity check per use.
    @exclusivity(unchecked) private var hasher = ChainHasher()
    @exclusivity(unchecked) private var payload: [UInt8] = []
    private let projector: Projector
    private let clock: () -> Date
    /// Where the head is anchored outside the database (`HeadAnchor`).
    package let anchorPath: String

    /// A writable ledger refuses a log that does not reach its anchor: appending to a log cut
    /// short would overwrite the anchor, the one record that it was cut.
    package init(path: String, readOnly: Bool = false, clock: @escaping () -> Date = Date.init) throws {
        connection = try Connection(path: path, readOnly: readOnly)
        self.clock = clock
        anchorPath = HeadAnchor.path(forDatabase: path)
        if readOnly {
            let version = try connection.scalarInt("PRAGMA user_version") ?? 0
            guard version <= Migrator.latestVersion else {
                throw LedgerError.databaseTooNew(databaseVersion: version, binaryVersion: Migrator.latestVersion)
            }
            // A lab last opened by an older loupe lacks the projection tables this one reads
            // (status would fail preparing them). Migrating adds tables and leaves the events
            // alone, so a reading command may do it; where the file can't be written, it says so.
            if version < Migrator.latestVersion { try Migrator.migrate(Connection(path: path)) }
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
        if !readOnly, let anchor = try HeadAnchor.read(from: anchorPath) {
            try confirm(anchor)
        }
    }

    /// Throws unless the log reaches `anchor.seq` and holds `anchor.hash` there.
    func confirm(_ anchor: HeadAnchor) throws {
        let end = try head().seq
        guard end >= anchor.seq else { throw LedgerError.logCutShort(anchor: anchor, logEnds: end) }
        guard try hash(at: anchor.seq) == anchor.hash else { throw LedgerError.logReplaced(anchor: anchor) }
    }

    /// The hash of the event at `seq`; genesis at 0, nil when there is no such row.
    func hash(at seq: Int) throws -> [UInt8]? {
        guard seq > 0 else { return ChainHasher.genesis }
        let statement = try connection.cached("SELECT hash FROM events WHERE seq = ?")
        defer { statement.reset() }
        try statement.set(seq, at: 1)
        return try statement.step() ? statement.blob(0) : nil
    }

    /// Appends the events in one transaction, in order; any version conflict rolls back all.
    /// An event whose event_id is already logged is skipped and reported as a duplicate.
    /// Once committed, the new head is anchored: one anchor write per call, however many events.
    @discardableResult
    package func append(_ batch: [PendingEvent]) throws -> [Appended] {
        let at = Self.timestamp(clock())
        var newHead: HeadAnchor?
        let appended = try connection.transaction {
            var (seq, prevHash) = try head()
            let before = seq
            var results: [Appended] = []
            results.reserveCapacity(batch.count)
            // Stream versions read or written in this transaction: a stream appended to twice
            // in one batch is looked up once. Only valid while the write lock is held.
            var versions: [String: Int] = [:]
            let insert = try connection.cached(Self.insertSQL)
            for pending in batch {
                let current: Int
                if let known = versions[pending.stream] {
                    current = known
                } else {
                    current = try version(of: pending.stream)
                }
                do {
                    try Self.check(pending.expected, current: current, stream: pending.stream)
                } catch {
                    // A re-delivered event is a duplicate before it is a conflict.
                    if let existing = try existingSeq(eventID: pending.eventID) {
                        results.append(Appended(seq: existing, duplicate: true))
                        continue
                    }
                    throw error
                }

                payload.removeAll(keepingCapacity: true)
                try pending.event.encodePayload(into: &payload)
                let type = pending.event.kind.rawValue
                let schema = pending.event.schema
                hasher.begin(prev: prevHash)
                hasher.field(seq + 1)
                hasher.field(pending.stream)
                hasher.field(current + 1)
                hasher.field(pending.eventID)
                hasher.field(type)
                hasher.field(schema)
                hasher.field(payload)
                hasher.field(at)
                let hash = hasher.finish()

                try insert.set(seq + 1, at: 1)
                try insert.set(pending.stream, at: 2)
                try insert.set(current + 1, at: 3)
                try insert.set(pending.eventID, at: 4)
                try insert.set(type, at: 5)
                try insert.set(schema, at: 6)
                try payload.withUnsafeBytes { try insert.set(text: $0, at: 7) }
                try insert.set(at, at: 8)
                try prevHash.withUnsafeBytes { try insert.set(blob: $0, at: 9) }
                try hash.withUnsafeBytes { try insert.set(blob: $0, at: 10) }
                try insert.execute()
                guard connection.changes == 1 else {
                    // ON CONFLICT (event_id) DO NOTHING: already logged.
                    guard let existing = try existingSeq(eventID: pending.eventID) else { throw LedgerError.unknownEvent(type: type, schema: schema) }
                    results.append(Appended(seq: existing, duplicate: true))
                    continue
                }
                seq += 1
                versions[pending.stream] = current + 1
                try projector.apply(pending.event, seq: seq)
                if prevHash.count == SHA256Digest.byteCount {
                    hash.withUnsafeBytes { digest in prevHash.withUnsafeMutableBytes { $0.copyMemory(from: digest) } }
                } else {
                    prevHash = Array(hash)
                }
                results.append(Appended(seq: seq, duplicate: false))
            }
            if seq > before { newHead = HeadAnchor(seq: seq, hash: prevHash) }
            return results
        }
        try newHead?.write(to: anchorPath)
        return appended
    }

    /// OR ROLLBACK: a failed constraint other than a duplicate event_id ends the transaction (as
    /// any error in `append` does) without a statement journal per row.
    private static let insertSQL = """
        INSERT OR ROLLBACK INTO events (seq, stream, version, event_id, type, schema, payload, at, prev_hash, hash)
        VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (event_id) DO NOTHING
        """

    private func existingSeq(eventID: String) throws -> Int? {
        let statement = try connection.cached("SELECT seq FROM events WHERE event_id = ?")
        defer { statement.reset() }
        try statement.set(eventID, at: 1)
        return try statement.step() ? statement.int(0) : nil
    }

    func version(of stream: String) throws -> Int {
        let statement = try connection.cached("SELECT max(version) FROM events WHERE stream = ?")
        defer { statement.reset() }
        try statement.set(stream, at: 1)
        _ = try statement.step()
        return statement.optionalInt(0) ?? 0
    }

    @discardableResult
    package func append(_ event: PendingEvent) throws -> Appended {
        try append([event])[0]
    }

    /// The last event's seq and hash; (0, genesis) for an empty log.
    package func head() throws -> (seq: Int, hash: [UInt8]) {
        let statement = try connection.cached("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")
        defer { statement.reset() }
        guard try statement.step() else { return (0, ChainHasher.genesis) }
        return (statement.int(0), statement.blob(1))
    }

    /// Calls `body` for each event with `after < seq <= upTo`, in order, without loading the log.
    package func forEachEvent(after: Int = 0, upTo: Int = Int.max, type: EventKind? = nil, _ body: (EventRow) throws -> Void) throws {
        // Two statements rather than `(? IS NULL OR type = ?)`, which keeps SQLite off the type index.
        let columns = "SELECT seq, stream, version, event_id, type, schema, payload, at, prev_hash, hash FROM events"
        let statement = try connection.prepare(type == nil
            ? "\(columns) WHERE seq > ? AND seq <= ? ORDER BY seq"
            : "\(columns) WHERE type = ?3 AND seq > ?1 AND seq <= ?2 ORDER BY seq")
        try statement.bind(after, upTo)
        if let type { try statement.bind(type.rawValue, at: 3) }
        while try statement.step() {
            try body(EventRow(
                seq: statement.int(0), stream: statement.text(1), version: statement.int(2), eventID: statement.text(3),
                type: statement.text(4), schema: statement.int(5), payload: statement.text(6), at: statement.text(7),
                prevHash: statement.blob(8), hash: statement.blob(9)
            ))
        }
    }

    package func events(after: Int = 0, upTo: Int = Int.max, type: EventKind? = nil) throws -> [EventRow] {
        var rows: [EventRow] = []
        try forEachEvent(after: after, upTo: upTo, type: type) { rows.append($0) }
        return rows
    }

    /// The seqs of every event of one type after `seq`, in order, without decoding them.
    package func seqs(of type: EventKind, after seq: Int) throws -> [Int] {
        let statement = try connection.prepare("SELECT seq FROM events WHERE type = ? AND seq > ? ORDER BY seq")
        try statement.bind(type.rawValue, seq)
        var seqs: [Int] = []
        while try statement.step() { seqs.append(statement.int(0)) }
        return seqs
    }

    /// The read side of the projection tables, on this ledger's connection.
    package var projections: Projections { Projections(connection) }

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
