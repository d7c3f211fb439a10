/// A person who may write through the HTTP door, and the SHA-256 of the token they present.
/// Stream `annotators`. The same event for a name already known issues a new token: the
/// projection keeps one token per name, so the old one stops working.
///
/// Only the hash is logged: the log is copied, backed up and printed by `loupe log`, and the
/// token itself must not be in any of them.
package struct AnnotatorAdded: Codable, Sendable, Equatable {
    package var name: String
    package var tokenSHA256: String
    /// What the token may do (`reader`, `annotator`, `reviewer`, `operator`); absent in events
    /// written before roles existed, which name annotators.
    package var role: String?

    package init(name: String, tokenSHA256: String, role: String? = nil) {
        self.name = name
        self.tokenSHA256 = tokenSHA256
        self.role = role
    }
}
