/// What became of one dropped file.
package enum IntakeOutcome: Sendable, Equatable, CustomStringConvertible {
    case accepted(sha: String, seq: Int)
    /// The same content was taken before; the file was removed from the drop folder since
    /// objects/ already holds its bytes.
    case alreadyKnown(sha: String, seq: Int)
    /// The bytes of an image ingested under another name: this name was recorded for it.
    case anotherName(sha: String, seq: Int)
    case rejected(reason: String, movedTo: String)
    /// Left where it is, with no event: still being written, replaced since it was read, or a
    /// condition that may pass (out of file descriptors, disk full). Taken again later.
    case deferred(reason: String)

    package var description: String {
        switch self {
        case .accepted(let sha, let seq): "accepted as \(sha.prefix(12)) (event \(seq))"
        case .alreadyKnown(let sha, let seq): "already known as \(sha.prefix(12)) (event \(seq)); nothing appended"
        case .anotherName(let sha, let seq): "another name of image \(sha.prefix(12)), recorded (event \(seq))"
        case .rejected(let reason, let movedTo): "rejected: \(EventRow.printable(reason)) (moved to \(EventRow.printable(movedTo)))"
        case .deferred(let reason): "left in place: \(EventRow.printable(reason))"
        }
    }

    /// Refused, or left in place: either way the file was not taken.
    package var isRejected: Bool {
        switch self {
        case .rejected, .deferred: true
        case .accepted, .alreadyKnown, .anotherName: false
        }
    }
}

/// A file that will not be accepted, and why; the bytes' hash keeps its event idempotent.
/// `identity` is the file that was examined, when it could be read.
package struct Refusal: Error, Sendable, Equatable {
    package var sha: String
    package var reason: String
    package var identity: FileIdentity?

    init(sha: String, reason: String, identity: FileIdentity? = nil) {
        self.sha = sha
        self.reason = reason
        self.identity = identity
    }
}
