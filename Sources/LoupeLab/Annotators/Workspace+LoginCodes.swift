import Foundation
import LoupeLedger

extension Workspace {
    /// How long a login code may be exchanged for a session.
    package static let loginCodeLifetime: TimeInterval = 15 * 60

    /// Issues a login code to an existing annotator: single use, valid for
    /// `loginCodeLifetime`. Only its SHA-256 is logged (`LoginCodeIssued`); the code itself is
    /// returned to be shown once, to the person it is for.
    ///
    ///     let (code, expires) = try lab.issueLoginCode(name: "ana")   // "K7QD-M2XP-9RTA"
    package func issueLoginCode(name: String, now: Date = Date()) throws -> (code: String, expires: Date) {
        guard try annotators().contains(name) else { throw LoginCodeError.unknownAnnotator(name) }
        let code = LoginCode.make()
        let hash = LoginCode.sha256(canonical: LoginCode.canonical(code)!)
        let expires = now.addingTimeInterval(Self.loginCodeLifetime)
        try ledger.append(PendingEvent(
            stream: "annotators", eventID: "login-code:\(hash)",
            event: .loginCodeIssued(LoginCodeIssued(name: name, codeSHA256: hash, expiresAt: expires.formatted(.iso8601)))
        ))
        return (code, expires)
    }

    /// Exchanges `name`'s login code for a new session token with the annotator's role, once:
    /// appends `LoginCodeRedeemed` (only the hashes), whose event id is the code's, so a code
    /// raced by two requests signs in only one. Returns the token, shown once.
    package func redeemLoginCode(name: String, code typed: String, now: Date = Date()) throws -> String {
        guard let canonical = LoginCode.canonical(typed) else { throw LoginCodeError.refused }
        let hash = LoginCode.sha256(canonical: canonical)
        guard let code = try projections.loginCode(sha256: hash), code.name == name else { throw LoginCodeError.refused }
        guard code.redeemedSeq == nil else { throw LoginCodeError.used }
        guard let expires = try? Date(code.expiresAt, strategy: .iso8601), now < expires else { throw LoginCodeError.expired }
        let token = AnnotatorToken.make()
        let appended = try ledger.append(PendingEvent(
            stream: "annotators", eventID: "login:\(hash)",
            event: .loginCodeRedeemed(LoginCodeRedeemed(name: name, codeSHA256: hash, tokenSHA256: AnnotatorToken.sha256(token)))
        ))
        guard !appended.duplicate else { throw LoginCodeError.used }
        return token
    }
}
