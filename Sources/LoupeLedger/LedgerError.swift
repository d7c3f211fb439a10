package enum LedgerError: Error, Equatable, CustomStringConvertible {
    case databaseTooNew(databaseVersion: Int, binaryVersion: Int)
    case versionConflict(stream: String, expected: ExpectedVersion, actual: Int)
    case unknownEvent(type: String, schema: Int)
    case objectMissing(String)
    case objectCorrupt(sha256: String, actual: String)
    case unreadableAnchor(String)
    case logCutShort(anchor: HeadAnchor, logEnds: Int)
    case logReplaced(anchor: HeadAnchor)

    package var description: String {
        switch self {
        case .databaseTooNew(let database, let binary):
            return "the ledger is at schema version \(database), newer than this loupe (schema version \(binary)); use a newer loupe"
        case .versionConflict(let stream, let expected, let actual):
            return "stream \(stream) is at version \(actual), expected \(expected)"
        case .unknownEvent(let type, let schema):
            return "unknown event type \(type) schema \(schema)"
        case .objectMissing(let sha):
            return "object \(sha) is missing from objects/"
        case .objectCorrupt(let sha, let actual):
            return "object \(sha) now hashes to \(actual)"
        case .unreadableAnchor(let path):
            return "\(path) does not hold a seq and a 64-digit hash"
        case .logCutShort(let anchor, let end):
            let held = end == 0 ? "holds no events" : "ends at seq \(end)"
            return "the log \(held), but its head anchor says it reached \(anchor): events were cut from its end, "
                + "or the database or its -wal file was lost or replaced; restore it from a backup"
        case .logReplaced(let anchor):
            return "the log's event at seq \(anchor.seq) is not the one its head anchor recorded (\(anchor)): "
                + "the database was replaced by another; restore it from a backup"
        }
    }
}

/// What the writer believes a stream's version is before its append: the optimistic check.
package enum ExpectedVersion: Sendable, Equatable, CustomStringConvertible {
    case any
    case noStream
    case exact(Int)

    package var description: String {
        switch self {
        case .any: "any"
        case .noStream: "no stream"
        case .exact(let version): "version \(version)"
        }
    }
}

extension LedgerError {
    /// Whether `error` came from the database itself (disk full, locked, I/O) rather than
    /// from the content of an event or a file.
    package static func isStorage(_ error: any Error) -> Bool {
        error is SQLiteError
    }
}
