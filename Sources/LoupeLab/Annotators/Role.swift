/// What a token may do through HTTP, each role everything the one before it may:
/// a reader looks; an annotator also claims, uploads and corrects; a reviewer also accepts or
/// sends back others' corrections; an operator also pauses, trains, pins and rolls back.
package enum Role: String, Sendable, CaseIterable, Comparable, Codable {
    case reader, annotator, reviewer, `operator`

    package static func < (a: Role, b: Role) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Who a token belongs to and what it may do.
package struct Identity: Sendable, Equatable {
    package let name: String
    package let role: Role

    package init(name: String, role: Role) {
        self.name = name
        self.role = role
    }
}
