import LoupeLab

/// Every way a door's file or request is not taken, in one place: the HTTP server turns each
/// into one status, and the folder door's refusals are the same outcomes recorded on the loop.
package enum GatewayError: Error, CustomStringConvertible {
    /// The lab refused the file; it went to `rejectedPath` with its reason beside it.
    case rejected(what: String, reason: String, rejectedPath: String)
    /// Not taken now (the disk, the ledger); the file waits in a drop folder for the daemon.
    case deferred(what: String, reason: String, movedTo: String?)
    /// A file name that cannot be a name in the lab.
    case badName(String)
    /// A correction of an image that does not take one (unknown, or the request is malformed).
    case badCorrection(String)

    package var description: String {
        switch self {
        case .rejected(let what, let reason, _): "\(what) refused: \(reason)"
        case .deferred(let what, let reason, let movedTo):
            "\(what) not taken now (\(reason)); " + (movedTo.map { "moved to \($0) for the daemon to take later" } ?? "the daemon takes it later")
        case .badName(let name): "'\(EventRow.printable(String(name.prefix(80))))' is not a usable file name"
        case .badCorrection(let reason): reason
        }
    }
}

/// What a door's file became: the image or mask's SHA, the event that says so, and how.
package struct Taken: Sendable {
    package enum How: String, Sendable {
        case accepted, anotherName, alreadyKnown
    }

    package let sha: String
    package let seq: Int
    package let how: How
}
