/// The rule for an annotator's name. Names travel into the log, into summaries printed on
/// terminals, into HTTP headers and JSON, and are matched in mask file names
/// (`im0001.NAME.png`), so they are kept to ASCII letters, digits and `. _ -`: no control
/// characters, no look-alike Unicode letters, no normalisation forms that print the same but
/// compare different.
package enum AnnotatorName {
    package static let maxLength = 64

    /// Returns `name` unchanged when it is acceptable; throws naming what is wrong.
    package static func validate(_ name: String) throws(AnnotatorError) -> String {
        guard !name.isEmpty else { throw .invalidName(name, "is empty") }
        // Counted in scalars: a string of combining marks is one Character but many scalars.
        let scalars = name.unicodeScalars
        guard scalars.count <= maxLength else {
            throw .invalidName(name, "is \(scalars.count) characters long; at most \(maxLength) are allowed")
        }
        if let bad = scalars.first(where: { !isAllowed($0) }) {
            let what = bad.properties.generalCategory == .control || (0x7F...0x9F).contains(bad.value)
                ? "a control character (U+\(String(bad.value, radix: 16, uppercase: true)))"
                : "'\(bad)' (U+\(String(bad.value, radix: 16, uppercase: true)))"
            throw .invalidName(name, "contains \(what); use letters a-z A-Z, digits 0-9, '.', '_' and '-'")
        }
        // A leading '-' reads as an option on a command line, a leading '.' as a hidden file.
        guard let first = scalars.first, isLetterOrDigit(first) else {
            throw .invalidName(name, "must start with a letter or a digit")
        }
        return name
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        isLetterOrDigit(scalar) || scalar == "." || scalar == "_" || scalar == "-"
    }

    private static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}

package enum AnnotatorError: Error, Equatable, CustomStringConvertible {
    case invalidName(String, String)

    package var description: String {
        switch self {
        case .invalidName(let name, let problem):
            // The name may hold control characters or be huge: shown escaped and cut short.
            let shown = EventRow.printable(String(name.unicodeScalars.prefix(80).map(Character.init)))
            return "annotator name '\(shown)\(name.unicodeScalars.count > 80 ? "..." : "")' \(problem)"
        }
    }
}
