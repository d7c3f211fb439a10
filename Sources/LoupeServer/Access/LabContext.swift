import Hummingbird
import LoupeLab

/// A request as the lab's routes see it: Hummingbird's core context and who is calling, which
/// `AuthMiddleware` sets from the credential before any route runs.
struct LabContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The credential's owner; nil when the request carried none on a lab that needs one.
    var caller: Caller?

    init(source: Source) {
        coreContext = .init(source: source)
    }

    /// The caller, if their role is at least `role`: 401 without a credential, 403 with one
    /// whose role is lower.
    func require(_ role: Role) throws -> Caller {
        guard let caller else {
            throw APIError(.unauthorized, "unauthorized",
                           "this lab has annotators: send Authorization: Bearer TOKEN (a token from loupe user add NAME)")
        }
        try caller.require(role)
        return caller
    }
}

/// Who is calling: an annotator by their token, or the one local user of an open loopback lab.
struct Caller: Sendable {
    /// The annotator the token belongs to; nil on an open lab without tokens.
    let annotator: String?
    let role: Role

    /// The name claims are held under.
    var name: String { annotator ?? "local" }

    /// 403 unless this caller's role is at least `role`.
    func require(_ role: Role) throws {
        guard self.role >= role else {
            throw APIError(.forbidden, "forbidden", "\(name) has the role \(self.role.rawValue); this needs \(role.rawValue) or above")
        }
    }
}
