/// What became of one dropped file.
public enum IntakeOutcome: Sendable, Equatable, CustomStringConvertible {
    case accepted(sha: String, seq: Int)
    /// The same content was taken before; the file was removed from the drop folder since
    /// objects/ already holds its bytes.
    case alreadyKnown(sha: String, seq: Int)
    case rejected(reason: String, movedTo: String)

    public var description: String {
        switch self {
        case .accepted(let sha, let seq): "accepted as \(sha.prefix(12)) (event \(seq))"
        case .alreadyKnown(let sha, let seq): "already known as \(sha.prefix(12)) (event \(seq)); nothing appended"
        case .rejected(let reason, let movedTo): "rejected: \(EventRow.printable(reason)) (moved to \(EventRow.printable(movedTo)))"
        }
    }

    public var isRejected: Bool {
        if case .rejected = self { return true }
        return false
    }
}

/// A file that will not be accepted, and why; the bytes' hash keeps its event idempotent.
public struct Refusal: Error, Sendable, Equatable {
    public var sha: String
    public var reason: String
}
