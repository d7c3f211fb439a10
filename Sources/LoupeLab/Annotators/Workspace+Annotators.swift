import LoupeLedger

extension Workspace {
    /// Adds an annotator, or issues a new token to one already known (the old token stops
    /// working at once). Appends `AnnotatorAdded` to the `annotators` stream and returns the
    /// token, which is not stored anywhere: show it once, to the person it is for.
    ///
    ///     let token = try lab.addAnnotator(name: "ana")   // 64 hex digits
    ///     let lead = try lab.addAnnotator(name: "lee", role: .operator)
    package func addAnnotator(name: String, role: Role = .annotator) throws -> String {
        let name = try AnnotatorName.validate(name)
        let token = AnnotatorToken.make()
        let hash = AnnotatorToken.sha256(token)
        try ledger.append(PendingEvent(
            stream: "annotators", eventID: "annotator:\(name):\(hash)",
            event: .annotatorAdded(AnnotatorAdded(name: name, tokenSHA256: hash, role: role.rawValue))
        ))
        return token
    }

    /// The annotator a bearer token belongs to; nil for an unknown, replaced or malformed one.
    /// The token is hashed and the hash looked up, so no comparison touches the token or a
    /// name, and timing tells nothing of either.
    package func annotator(forToken token: String) throws -> String? {
        try identity(forToken: token)?.name
    }

    /// The annotator a bearer token belongs to and their role; nil as for `annotator(forToken:)`.
    package func identity(forToken token: String) throws -> Identity? {
        guard !token.isEmpty, token.utf8.count <= AnnotatorToken.maxPresentedLength,
              let found = try projections.annotator(tokenSHA256: AnnotatorToken.sha256(token)) else { return nil }
        return Identity(name: found.name, role: Role(rawValue: found.role) ?? .reader)
    }

    /// Every annotator's name, in the order they were first added.
    package func annotators() throws -> [String] {
        try projections.annotators().map(\.name)
    }

    /// Every annotator with the seqs of their first and current tokens.
    package func annotatorRecords() throws -> [AnnotatorRecord] {
        try projections.annotators()
    }
}
