/// A short-lived, single-use login code issued to an annotator (`loupe user add`, `loupe user
/// code`). Stream `annotators`. Only the code's SHA-256 is logged, as for tokens.
package struct LoginCodeIssued: Codable, Sendable, Equatable {
    package var name: String
    package var codeSHA256: String
    /// UTC, ISO 8601: the code is refused after this.
    package var expiresAt: String

    package init(name: String, codeSHA256: String, expiresAt: String) {
        self.name = name
        self.codeSHA256 = codeSHA256
        self.expiresAt = expiresAt
    }
}

/// A login code exchanged for a session token of the same annotator and role. Stream
/// `annotators`; its event id is made from the code's hash, so a code is used at most once.
/// The session ends when the annotator is issued a new token (`loupe user add` again).
package struct LoginCodeRedeemed: Codable, Sendable, Equatable {
    package var name: String
    package var codeSHA256: String
    package var tokenSHA256: String

    package init(name: String, codeSHA256: String, tokenSHA256: String) {
        self.name = name
        self.codeSHA256 = codeSHA256
        self.tokenSHA256 = tokenSHA256
    }
}
