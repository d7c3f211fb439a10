import LoupeLedger

/// Login codes: 12 symbols of Crockford's base32 (no I, L, O or U), shown as `K7QD-M2XP-9RTA`,
/// so a person can read one off a terminal and type it. 60 bits: with the code's SHA-256
/// in the log, trying every code takes about 2^59 hashes on average, far beyond what fits
/// in its 15 minutes; online, the server bounds attempts.
enum LoginCode {
    static let length = 12
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    /// Longer input is no code of ours; refused before it is normalised or hashed.
    static let maxPresentedLength = 64

    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let symbols = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return stride(from: 0, to: length, by: 4).map { String(symbols[$0..<$0 + 4]) }.joined(separator: "-")
    }

    /// The code as typed, in its one canonical form: case, dashes and spaces do not matter, and
    /// the letters people mistake for digits read as those digits. Nil for anything that cannot
    /// be a code.
    static func canonical(_ typed: String) -> String? {
        guard typed.utf8.count <= maxPresentedLength else { return nil }
        var out: [Character] = []
        for character in typed.uppercased() where character != "-" && character != " " {
            let mapped: Character = switch character {
            case "O": "0"
            case "I", "L": "1"
            default: character
            }
            guard alphabet.contains(mapped) else { return nil }
            out.append(mapped)
        }
        return out.count == length ? String(out) : nil
    }

    static func sha256(canonical code: String) -> String {
        ObjectStore.sha256(Array(code.utf8))
    }
}

/// Why a login code was not exchanged for a session; nothing was appended.
package enum LoginCodeError: Error, Equatable, CustomStringConvertible {
    /// Wrong code, wrong name, or no such annotator: one answer for all, so a guesser learns
    /// nothing of which names exist.
    case refused
    case expired
    case used
    case unknownAnnotator(String)

    package var description: String {
        switch self {
        case .refused: "that name and login code do not match a code of this lab"
        case .expired: "this login code has expired: ask for a new one (loupe user code NAME)"
        case .used: "this login code was used already: each code signs in once; ask for a new one (loupe user code NAME)"
        case .unknownAnnotator(let name): "no annotator is named '\(EventRow.printable(String(name.prefix(80))))': add one with loupe user add NAME"
        }
    }
}
