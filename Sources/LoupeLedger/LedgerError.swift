public enum LedgerError: Error, Equatable, CustomStringConvertible {
    case databaseTooNew(databaseVersion: Int, binaryVersion: Int)
    case versionConflict(stream: String, expected: ExpectedVersion, actual: Int)
    case unknownEvent(type: String, schema: Int)
    case objectMissing(String)
    case objectCorrupt(sha256: String, actual: String)

    public var description: String {
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
        }
    }
}

/// What the writer believes a stream's version is before its append: the optimistic check.
public enum ExpectedVersion: Sendable, Equatable, CustomStringConvertible {
    case any
    case noStream
    case exact(Int)

    public var description: String {
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
    public static func isStorage(_ error: any Error) -> Bool {
        error is SQLiteError
    }
}
