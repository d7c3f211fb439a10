/// The rule for what a person writes into the log: a reason to skip or flag, a comment, a
/// reviewer's note. It is shown in lists, tooltips, summaries printed on terminals and the
/// event stream, so it is bounded in length and holds no control characters (a comment may
/// span lines: newline and tab are kept there). Surrounding white space is dropped.
package enum ReviewText {
    /// Reasons and notes are a line; comments a paragraph or two.
    package static let maxReasonLength = 500
    package static let maxCommentLength = 4000

    /// `text` trimmed, when acceptable; throws naming `what` and the problem.
    package static func validate(_ text: String, _ what: String, maxLength: Int, required: Bool = true, multiline: Bool = false) throws(ReviewError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if required, trimmed.isEmpty { throw .badText(what, "is empty") }
        let length = trimmed.unicodeScalars.count
        guard length <= maxLength else { throw .badText(what, "is \(length) characters long; at most \(maxLength) are allowed") }
        let allowed: Set<Unicode.Scalar> = multiline ? ["\n", "\t"] : []
        if let bad = trimmed.unicodeScalars.first(where: { isControl($0) && !allowed.contains($0) }) {
            throw .badText(what, "contains a control character (U+\(String(bad.value, radix: 16, uppercase: true)))")
        }
        return trimmed
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}
